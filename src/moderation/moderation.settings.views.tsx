import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { type CommentSettingsForm, NUMBER_FIELDS } from './moderation.settings.js';

export function SettingsPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  form: CommentSettingsForm;
  saved?: boolean;
  error?: { field?: string; message: string };
}) {
  const { form, error } = props;
  return (
    <AdminLayout title="Comment settings" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/comments">
      <h1>Comment settings</h1>
      <p>
        <a href="/admin/comments">Back to the queues</a>
      </p>
      {props.saved ? (
        <p class="comment-notice" role="status">
          Settings saved.
        </p>
      ) : null}
      {error ? (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <form method="post" action="/admin/comments/settings" class="stack-form">
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="set-banned">Banned words</label>
          <p class="hint" id="set-banned-help">
            One word or phrase per line. A comment containing one is rejected at once.
          </p>
          <textarea id="set-banned" name="banned" rows={6} aria-describedby="set-banned-help">
            {form.banned}
          </textarea>
        </div>
        <div class="field">
          <label for="set-suspect">Suspect words</label>
          <p class="hint" id="set-suspect-help">
            One per line. A comment containing one is held for a moderator with the word named.
          </p>
          <textarea id="set-suspect" name="suspect" rows={6} aria-describedby="set-suspect-help">
            {form.suspect}
          </textarea>
        </div>
        {NUMBER_FIELDS.map((f) => (
          <div class="field" key={f.key}>
            <label for={`set-${f.key}`}>{f.label}</label>
            <input
              id={`set-${f.key}`}
              name={f.key}
              inputMode="numeric"
              value={form.numbers[f.key]}
              aria-describedby={`set-${f.key}-help`}
              aria-invalid={error?.field === f.key ? 'true' : undefined}
            />
            <p class="hint" id={`set-${f.key}-help`}>
              {f.help}
            </p>
          </div>
        ))}
        <button type="submit">Save settings</button>
      </form>
    </AdminLayout>
  );
}
