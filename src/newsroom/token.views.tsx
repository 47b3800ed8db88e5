import type { SiteSettings } from '../settings/settings.service.js';
import type { TokenListRow } from '../users/token.service.js';
import { type Actor, ROLES } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import { ErrorSummary, FieldError, Flash, type FormError } from './form.views.js';

function When(props: { iso: string | null; settings: SiteSettings }) {
  return props.iso ? <time datetime={props.iso}>{formatDateTime(props.iso, props.settings)}</time> : <span>—</span>;
}

/** API tokens for the `Authorization: Bearer` header: list, create (the secret shown once), revoke. */
export function TokensPage(props: {
  siteName: string;
  settings: SiteSettings;
  actor: Actor;
  csrf: string;
  tokens: TokenListRow[];
  created?: { name: string; token: string };
  typed?: Record<string, string>;
  error?: FormError;
  flash?: string;
}) {
  const typed = props.typed ?? {};
  const bad = (f: string) => (props.error?.field === f ? 'true' : undefined);
  return (
    <AdminLayout title="API tokens" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/tokens">
      <h1>API tokens</h1>
      <p class="hint">
        Scripts send a token in the <code>Authorization: Bearer</code> header of <code>/api/v1</code> calls and act with its role. A token
        made here belongs to you: it stops working when your account is deactivated or stops being an administrator.
      </p>
      <Flash message={props.flash} />
      {props.created ? (
        <div class="notice" role="status">
          <p>
            Token <strong>{props.created.name}</strong> created. Its secret, shown only this once:{' '}
            <code class="token">{props.created.token}</code>
          </p>
          <p class="hint">Store it where the script reads it; only a hash is kept here.</p>
        </div>
      ) : null}
      <ErrorSummary error={props.error} />
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Owner</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{t.owner ?? '—'}</td>
                <td>
                  <When iso={t.created_at} settings={props.settings} />
                </td>
                <td>
                  <When iso={t.last_used_at} settings={props.settings} />
                </td>
                <td>
                  {t.revoked_at ? (
                    <span>
                      Revoked <When iso={t.revoked_at} settings={props.settings} />
                    </span>
                  ) : (
                    <form method="post" action={`/admin/tokens/${t.id}/revoke`}>
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="danger" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/tokens" class="panel stack-form" aria-labelledby="token-title">
        <h2 id="token-title">Create a token</h2>
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-name">Name (what uses it)</label>
          <input id="f-name" name="name" value={typed.name ?? ''} required maxLength={80} aria-invalid={bad('name')} />
          <FieldError error={props.error} field="name" />
        </div>
        <div class="field">
          <label for="f-role">Role</label>
          <select id="f-role" name="role" aria-invalid={bad('role')}>
            {ROLES.map((r) => (
              <option value={r} selected={r === (typed.role ?? 'writer')} key={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldError error={props.error} field="role" />
        </div>
        <button type="submit" class="primary">
          Create token
        </button>
      </form>
    </AdminLayout>
  );
}
