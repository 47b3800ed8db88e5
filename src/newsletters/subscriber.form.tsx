import type { NewsletterList } from './newsletter.table.js';

/** Hidden from people (a bot that fills it in is answered as if all went well, and nothing happens). */
export const SIGNUP_HONEYPOT = 'website';
/** The signed time the form was handed out (comment.token.ts); a form sent back too fast is a bot's. */
export const SIGNUP_STAMP = '_stamp';
export const SUBSCRIBE_PATH = '/newsletters/subscribe';

export interface SignupFormProps {
  /** Lists to choose among (checkboxes); absent: the daily briefing alone, as on article pages. */
  lists?: NewsletterList[];
  /** The slugs ticked (the daily briefing when none). */
  checked?: string[];
  email?: string;
  error?: { message: string; field?: string };
  stamp?: string;
  /** A distinct id prefix when a page shows the form twice. */
  idPrefix?: string;
  heading?: string;
}

/**
 * The newsletter sign-up form: an email field and the lists, posted as a plain form (no script
 * needed). Used on article pages (the daily briefing) and on /newsletters (every list).
 */
export function SignupForm(props: SignupFormProps) {
  const p = props.idPrefix ?? 'nl';
  const checked = new Set(props.checked?.length ? props.checked : ['daily']);
  const emailError = props.error && (props.error.field === 'email' || !props.error.field) ? props.error.message : undefined;
  const listError = props.error?.field === 'list' ? props.error.message : undefined;
  return (
    <form class="newsletter-signup" method="post" action={SUBSCRIBE_PATH} aria-labelledby={`${p}-title`}>
      <h2 id={`${p}-title`}>{props.heading ?? 'Get the daily briefing by email'}</h2>
      <input type="hidden" name={SIGNUP_STAMP} value={props.stamp ?? ''} />
      <div class="field hp-field" aria-hidden="true">
        <label for={`${p}-website`}>Leave this field empty</label>
        <input id={`${p}-website`} name={SIGNUP_HONEYPOT} tabIndex={-1} autocomplete="off" value="" />
      </div>
      {props.lists ? (
        <fieldset class="field" aria-describedby={listError ? `${p}-list-error` : undefined}>
          <legend>Newsletters</legend>
          {props.lists.map((l) => (
            <label key={l.id} class="check">
              <input type="checkbox" name="list" value={l.slug} checked={checked.has(l.slug)} /> {l.name}
              {l.description ? <span class="hint"> — {l.description}</span> : null}
            </label>
          ))}
          {listError ? (
            <p class="field-error" id={`${p}-list-error`}>
              {listError}
            </p>
          ) : null}
        </fieldset>
      ) : (
        <input type="hidden" name="list" value="daily" />
      )}
      <div class="field">
        <label for={`${p}-email`}>Email address</label>
        <input
          id={`${p}-email`}
          name="email"
          type="email"
          required
          maxLength={254}
          autocomplete="email"
          value={props.email ?? ''}
          aria-invalid={emailError ? 'true' : undefined}
          aria-describedby={emailError ? `${p}-email-error` : `${p}-email-hint`}
        />
        {emailError ? (
          <p class="field-error" id={`${p}-email-error`} role="alert">
            {emailError}
          </p>
        ) : (
          <p class="hint" id={`${p}-email-hint`}>
            We send a link to confirm. Unsubscribe at any time.
          </p>
        )}
      </div>
      <button type="submit">Subscribe</button>
    </form>
  );
}
