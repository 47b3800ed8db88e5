import { CORRECTION_MAX, type Correction } from '../articles/correction.service.js';
import { CsrfField } from '../web/admin-layout.js';
import { FieldError, type FormError } from './form.views.js';

/** The corrections of a published article in the editor, and the form that appends one. */
export function CorrectionsPanel(props: {
  articleId: number;
  corrections: Correction[];
  canCorrect: boolean;
  csrf: string;
  error?: FormError;
}) {
  return (
    <section class="panel corrections-panel" aria-labelledby="corrections-title">
      <h2 id="corrections-title">Corrections</h2>
      {props.corrections.length ? (
        <ol class="correction-list">
          {props.corrections.map((c) => (
            <li key={c.id}>
              <time datetime={c.createdAt}>{c.createdAt.slice(0, 16).replace('T', ' ')} UTC</time> — {c.body}{' '}
              <span class="hint">({c.actorName})</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="hint">No corrections.</p>
      )}
      {props.canCorrect ? (
        <form method="post" action={`/admin/articles/${props.articleId}/corrections`} class="stack-form">
          <CsrfField token={props.csrf} />
          <div class="field">
            <label for="f-correction">
              Add a correction <span class="hint">(shown at the end of the article with today’s date; it cannot be edited later)</span>
            </label>
            <textarea id="f-correction" name="correction" rows={3} maxLength={CORRECTION_MAX} required />
            <FieldError error={props.error} field="correction" />
          </div>
          <button type="submit">Add correction</button>
        </form>
      ) : null}
    </section>
  );
}
