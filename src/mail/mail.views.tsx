import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { MAX_RATE } from './mail.settings.js';

export interface MailFormValues {
  smtp_url: string;
  from: string;
  rate: string;
}

/** /admin/newsletters/mail: the mail server newsletters go through (administrators only). */
export function MailSettingsPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  values: MailFormValues;
  /** What is in force now, password hidden. */
  inForce: { server: string; from: string; source: 'newsroom' | 'environment' | 'none'; env: string };
  error?: FormError;
  flash?: string;
  testTo?: string;
}) {
  const { values, inForce, error } = props;
  const aria = (field: string) => (error?.field === field ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${field}-error` } : {});
  return (
    <AdminLayout title="Mail settings" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/newsletters">
      <p>
        <a href="/admin/newsletters">← Newsletters</a>
      </p>
      <h1>Mail settings</h1>
      <Flash message={props.flash} />
      <ErrorSummary error={error} />
      {inForce.source === 'none' ? (
        <p class="form-error" role="status">
          Mail is not configured: no newsletter or confirmation email can be sent. Set GAZETTE_SMTP_URL, or enter a mail server below.
        </p>
      ) : (
        <p class="hint">
          In force: <code>{inForce.server}</code> ({inForce.source === 'newsroom' ? 'this page' : 'GAZETTE_SMTP_URL'}), sender{' '}
          <code>{inForce.from || '(none set)'}</code>.
        </p>
      )}
      <form method="post" action="/admin/newsletters/mail" class="panel">
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-smtp_url">Mail server (SMTP URL)</label>
          <input
            id="f-smtp_url"
            name="smtp_url"
            value={values.smtp_url}
            maxLength={1000}
            autocomplete="off"
            spellcheck={false}
            placeholder={inForce.env || 'smtps://user:password@smtp.example.org:465'}
            {...aria('smtp_url')}
          />
          <p class="hint">
            smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. The password is never shown: leave **** to keep it.
            Empty: GAZETTE_SMTP_URL{inForce.env ? ` (${inForce.env})` : ' (not set)'}.
          </p>
          <FieldError error={error} field="smtp_url" />
        </div>
        <div class="field">
          <label for="f-from">Sender</label>
          <input
            id="f-from"
            name="from"
            value={values.from}
            maxLength={300}
            placeholder="The Gazette <news@example.org>"
            {...aria('from')}
          />
          <p class="hint">Empty: GAZETTE_MAIL_FROM.</p>
          <FieldError error={error} field="from" />
        </div>
        <div class="field">
          <label for="f-rate">Messages per second</label>
          <input id="f-rate" name="rate" type="number" min={1} max={MAX_RATE} value={values.rate} required {...aria('rate')} />
          <p class="hint">The most messages handed to the mail server each second; ask your provider for its limit.</p>
          <FieldError error={error} field="rate" />
        </div>
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <form method="post" action="/admin/newsletters/mail/test" class="panel" aria-labelledby="test-mail">
        <h2 id="test-mail">Send a test email</h2>
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-to">To</label>
          <input id="f-to" name="to" type="email" value={props.testTo ?? ''} maxLength={254} required {...aria('to')} />
          <FieldError error={error} field="to" />
        </div>
        <button type="submit">Send test email</button>
      </form>
    </AdminLayout>
  );
}
