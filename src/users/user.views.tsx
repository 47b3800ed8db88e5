import { FieldError, type FormError } from '../newsroom/form.views.js';
import type { Actor } from '../users/user.table.js';
import { ADMIN_NAV, AdminLayout, CsrfField } from '../web/admin-layout.js';
import { MIN_PASSWORD } from './user.service.js';

export function LoginPage(props: { siteName: string; csrf: string; next: string; email?: string; error?: string; notice?: string }) {
  return (
    <AdminLayout title="Log in" siteName={props.siteName}>
      <section class="login">
        <h1>Log in to the newsroom</h1>
        {props.notice ? (
          <p class="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.error ? (
          <p class="form-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/admin/login" class="stack-form">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="login-email">Email</label>
            <input id="login-email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
          </div>
          <div class="field">
            <label for="login-password">Password</label>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button type="submit">Log in</button>
        </form>
      </section>
    </AdminLayout>
  );
}

export function DashboardPage(props: { siteName: string; actor: Actor; csrf: string; notices?: { href: string; text: string }[] }) {
  const links = ADMIN_NAV.filter((n) => n.href !== '/admin' && n.roles.includes(props.actor.role));
  return (
    <AdminLayout title="Dashboard" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin">
      <h1>Welcome, {props.actor.name}</h1>
      <p>
        You are signed in as <strong>{props.actor.role}</strong>.
      </p>
      {props.notices?.length ? (
        <div class="notice" role="alert">
          {props.notices.map((n) => (
            <p key={n.href}>
              <a href={n.href}>{n.text}</a>
            </p>
          ))}
        </div>
      ) : null}
      <ul class="dashboard-links">
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

/** A new password typed twice, with each field's error (the account page and the reset page). */
export function NewPasswordFields(props: { error?: FormError }) {
  const bad = (f: string) => (props.error?.field === f ? 'true' : undefined);
  return (
    <>
      <div class="field">
        <label for="f-password">New password (at least {MIN_PASSWORD} characters)</label>
        <input
          id="f-password"
          name="password"
          type="password"
          autocomplete="new-password"
          minLength={MIN_PASSWORD}
          required
          aria-invalid={bad('password')}
        />
        <FieldError error={props.error} field="password" />
      </div>
      <div class="field">
        <label for="f-confirm">New password again</label>
        <input id="f-confirm" name="confirm" type="password" autocomplete="new-password" required aria-invalid={bad('confirm')} />
        <FieldError error={props.error} field="confirm" />
      </div>
    </>
  );
}
