import type { NewsletterList, Subscriber } from './newsletter.table.js';
import { SignupForm, type SignupFormProps } from './subscriber.form.js';

/** /newsletters: every list, with the sign-up form (also the page a refused sign-up comes back to). */
export function NewslettersPage(props: SignupFormProps & { lists: NewsletterList[] }) {
  return (
    <section class="newsletters-page">
      <h1>Newsletters</h1>
      <p>Our journalism in your inbox. Choose the newsletters you want; we ask you to confirm by email before sending anything.</p>
      <SignupForm {...props} heading="Subscribe" idPrefix="nlp" />
      <p class="hint">
        We use your address only to send the newsletters you choose. Every email has a link to unsubscribe in one click. Addresses that are
        not confirmed are deleted after 7 days.
      </p>
    </section>
  );
}

export function MessagePage(props: { title: string; children: preact.ComponentChildren }) {
  return (
    <section class="newsletters-page">
      <h1>{props.title}</h1>
      {props.children}
      <p>
        <a href="/">Back to the front page</a>
      </p>
    </section>
  );
}

export function CheckInboxPage() {
  return (
    <MessagePage title="Check your inbox">
      <p class="notice" role="status">
        We have sent you an email. Follow the link in it to confirm your subscription.
      </p>
      <p>Nothing there after a few minutes? Look in the spam folder, or sign up again on the newsletters page.</p>
    </MessagePage>
  );
}

export function ConfirmedPage(props: { preferencesUrl: string; status: Subscriber['status'] }) {
  return (
    <MessagePage title={props.status === 'confirmed' ? 'You are subscribed' : 'This link was for an earlier subscription'}>
      {props.status === 'confirmed' ? (
        <p class="notice" role="status">
          Thank you: your subscription is confirmed.
        </p>
      ) : (
        <p>This address is not subscribed now. Sign up again on the newsletters page if you want our newsletters.</p>
      )}
      <p>
        <a href={props.preferencesUrl}>Choose your newsletters</a>
      </p>
    </MessagePage>
  );
}

export function PreferencesPage(props: {
  token: string;
  email: string;
  status: Subscriber['status'];
  lists: NewsletterList[];
  taken: Set<number>;
  saved?: boolean;
  error?: string;
}) {
  const active = props.status === 'confirmed';
  return (
    <MessagePage title="Your newsletters">
      <p>
        Newsletters for <strong>{props.email}</strong>.
      </p>
      {props.saved ? (
        <p class="notice" role="status">
          {active ? 'Your choice is saved.' : 'You are unsubscribed from every newsletter.'}
        </p>
      ) : null}
      {props.error ? (
        <p class="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {active ? (
        <>
          <form method="post" action="/newsletters/preferences" class="newsletter-signup">
            <input type="hidden" name="token" value={props.token} />
            <fieldset class="field">
              <legend>Send me</legend>
              {props.lists.map((l) => (
                <label key={l.id} class="check">
                  <input type="checkbox" name="list" value={String(l.id)} checked={props.taken.has(l.id)} /> {l.name}
                  {l.description ? <span class="hint"> — {l.description}</span> : null}
                </label>
              ))}
            </fieldset>
            <button type="submit">Save my choice</button>
          </form>
          <form method="post" action="/newsletters/unsubscribe" class="newsletter-signup">
            <input type="hidden" name="token" value={props.token} />
            <button type="submit">Unsubscribe from everything</button>
          </form>
        </>
      ) : (
        <p>
          This address receives no newsletters. <a href="/newsletters">Sign up again</a>.
        </p>
      )}
    </MessagePage>
  );
}

export function UnsubscribePage(props: { token: string; listId?: number; listName?: string; done?: boolean; preferencesUrl: string }) {
  const what = props.listName ? `“${props.listName}”` : 'every newsletter';
  if (props.done) {
    return (
      <MessagePage title="You are unsubscribed">
        <p class="notice" role="status">
          You will receive no more of {what}.
        </p>
        <p>
          <a href={props.preferencesUrl}>Choose your newsletters</a>
        </p>
      </MessagePage>
    );
  }
  return (
    <MessagePage title="Unsubscribe">
      <p>Stop receiving {what} at this address?</p>
      <form method="post" action="/newsletters/unsubscribe" class="newsletter-signup">
        <input type="hidden" name="token" value={props.token} />
        {props.listId ? <input type="hidden" name="list" value={String(props.listId)} /> : null}
        <button type="submit">Unsubscribe</button>
      </form>
      <p>
        <a href={props.preferencesUrl}>Choose your newsletters instead</a>
      </p>
    </MessagePage>
  );
}
