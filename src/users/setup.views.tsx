import { ErrorSummary, FieldError, type FormError } from '../newsroom/form.views.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { MIN_PASSWORD } from './user.service.js';

export interface SetupValues {
  siteName: string;
  name: string;
  email: string;
}

/** The first-admin form of an empty install: the site's name and the admin's account. */
export function SetupPage(props: { siteName: string; csrf: string; token: string; values: SetupValues; error?: FormError }) {
  const { values, error } = props;
  const bad = (f: string) => (error?.field === f ? 'true' : undefined);
  const describedBy = (f: string, hint?: string) => [hint, error?.field === f ? `${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <AdminLayout title="Set up" siteName={props.siteName}>
      <section class="login setup">
        <h1>Set up your newsroom</h1>
        <p>Name your site and create the first admin account. This page works once: afterwards, log in at /admin.</p>
        <ErrorSummary error={error} />
        <form method="post" action="/admin/setup" class="stack-form">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          <div class="field">
            <label for="f-siteName">Site name</label>
            <input
              id="f-siteName"
              name="siteName"
              value={values.siteName}
              maxLength={100}
              required
              aria-invalid={bad('siteName')}
              aria-describedby={describedBy('siteName')}
            />
            <FieldError error={error} field="siteName" />
          </div>
          <div class="field">
            <label for="f-name">Your name</label>
            <input
              id="f-name"
              name="name"
              value={values.name}
              maxLength={80}
              autocomplete="name"
              required
              aria-invalid={bad('name')}
              aria-describedby={describedBy('name')}
            />
            <FieldError error={error} field="name" />
          </div>
          <div class="field">
            <label for="f-email">Email</label>
            <input
              id="f-email"
              name="email"
              type="email"
              value={values.email}
              autocomplete="username"
              required
              aria-invalid={bad('email')}
              aria-describedby={describedBy('email')}
            />
            <FieldError error={error} field="email" />
          </div>
          <div class="field">
            <label for="f-password">
              Password{' '}
              <span class="hint" id="password-hint">
                (at least {MIN_PASSWORD} characters)
              </span>
            </label>
            <input
              id="f-password"
              name="password"
              type="password"
              minLength={MIN_PASSWORD}
              autocomplete="new-password"
              required
              aria-invalid={bad('password')}
              aria-describedby={describedBy('password', 'password-hint')}
            />
            <FieldError error={error} field="password" />
          </div>
          <div class="field">
            <label for="f-confirm">Password again</label>
            <input
              id="f-confirm"
              name="confirm"
              type="password"
              autocomplete="new-password"
              required
              aria-invalid={bad('confirm')}
              aria-describedby={describedBy('confirm')}
            />
            <FieldError error={error} field="confirm" />
          </div>
          <button type="submit">Create the admin account</button>
        </form>
      </section>
    </AdminLayout>
  );
}

/** A setup page reached without the right link: where the link is, and the other way in. */
export function SetupRefusedPage(props: { siteName: string; message: string }) {
  return (
    <AdminLayout title="Setup link needed" siteName={props.siteName}>
      <section class="login setup">
        <h1>This setup link does not work</h1>
        <p class="form-error" role="alert">
          {props.message}
        </p>
        <p>
          While the site has no admin, the server prints a one-time setup link each time it starts: in the terminal where{' '}
          <code>npm start</code> or <code>npx gazette start</code> runs, or as <code>setupUrl</code> in its JSON log. Each start prints a
          new link and the earlier ones stop working; restart the server to get a fresh one.
        </p>
        <p>Or create the first admin on the command line, on the server:</p>
        <pre>
          <code>npx gazette user add --email you@example.org --name "Your Name" --role admin</code>
        </pre>
      </section>
    </AdminLayout>
  );
}
