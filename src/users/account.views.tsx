import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import type { Actor } from './user.table.js';
import { NewPasswordFields } from './user.views.js';

export interface ProfileForm {
  name: string;
  email: string;
}

/** Name, email and password of the person logged in, and "log out everywhere". */
export function AccountPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  values: ProfileForm;
  error?: FormError;
  flash?: string;
}) {
  const { values, error } = props;
  const bad = (f: string) => (error?.field === f ? 'true' : undefined);
  return (
    <AdminLayout title="Your account" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/account">
      <h1>Your account</h1>
      <Flash message={props.flash} />
      <ErrorSummary error={error} />
      <form method="post" action="/admin/account" class="panel stack-form" aria-labelledby="profile-title">
        <h2 id="profile-title">Name and email</h2>
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-name">Name</label>
          <input id="f-name" name="name" value={values.name} maxLength={80} required autocomplete="name" aria-invalid={bad('name')} />
          <FieldError error={error} field="name" />
        </div>
        <div class="field">
          <label for="f-email">Email (you log in with it)</label>
          <input id="f-email" name="email" type="email" value={values.email} required autocomplete="username" aria-invalid={bad('email')} />
          <FieldError error={error} field="email" />
        </div>
        <div class="field">
          <label for="f-current_password">
            Current password <span class="hint">(needed to change your email)</span>
          </label>
          <input
            id="f-current_password"
            name="current_password"
            type="password"
            autocomplete="current-password"
            aria-invalid={bad('current_password')}
          />
          <FieldError error={error} field="current_password" />
        </div>
        <p class="hint">Your byline follows a new name while it still shows your old one and is yours alone.</p>
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <form method="post" action="/admin/account/password" class="panel stack-form" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="username" value={values.email} autocomplete="username" />
        <div class="field">
          <label for="f-pw-current">Current password</label>
          <input
            id="f-pw-current"
            name="current_password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid={bad('pw-current')}
          />
          <FieldError error={error} field="pw-current" />
        </div>
        <NewPasswordFields error={error} />
        <p class="hint">Changing it logs you out on every other device; you stay logged in here.</p>
        <button type="submit">Change password</button>
      </form>
      <form method="post" action="/admin/account/logout-all" class="panel" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">Sessions</h2>
        <CsrfField token={props.csrf} />
        <p>Lost a device, or logged in on a shared computer? End every session of your account, this one included.</p>
        <button type="submit" class="danger">
          Log out everywhere
        </button>
      </form>
    </AdminLayout>
  );
}
