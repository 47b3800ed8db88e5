import { ErrorSummary, type FormError } from '../newsroom/form.views.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { NewPasswordFields } from './user.views.js';

/** The form behind a one-time reset link: a new password, twice. */
export function ResetPage(props: { siteName: string; csrf: string; token: string; email: string; error?: FormError }) {
  const { error } = props;
  return (
    <AdminLayout title="Choose a new password" siteName={props.siteName}>
      <section class="login">
        <h1>Choose a new password</h1>
        <p>
          For <strong>{props.email}</strong>. This link works once; afterwards every session of the account ends and you log in with the new
          password.
        </p>
        <ErrorSummary error={error} />
        <form method="post" action="/admin/reset" class="stack-form">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          <input type="hidden" name="username" value={props.email} autocomplete="username" />
          <NewPasswordFields error={error} />
          <button type="submit" class="primary">
            Set the new password
          </button>
        </form>
      </section>
    </AdminLayout>
  );
}

/** A link that does not work (unknown, spent, expired) or a form that expired. */
export function ResetRefusedPage(props: { siteName: string; message: string }) {
  return (
    <AdminLayout title="Reset link not valid" siteName={props.siteName}>
      <section class="login">
        <h1>This link does not work</h1>
        <p class="form-error" role="alert">
          {props.message}
        </p>
        <p>
          <a href="/admin/login">Go to the login page</a>
        </p>
      </section>
    </AdminLayout>
  );
}
