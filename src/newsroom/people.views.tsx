import type { MediaView } from '../media/media.service.js';
import { type Actor, ROLES } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { smallestJpeg } from './editor.side.js';
import { ErrorSummary, Flash, type FormError } from './form.views.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  error?: FormError;
  flash?: string;
}

export interface PersonRow {
  id: number;
  slug: string;
  name: string;
  bio: string;
  photo: MediaView | null;
  articles: number;
}

/** Author profiles as readers see them on author pages: name, biography and photo. */
export function PeoplePage(props: Common & { people: PersonRow[] }) {
  return (
    <AdminLayout title="Authors" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/people">
      <h1>Authors</h1>
      <p class="hint">Bylines are created from the article editor. The address of an author page stays when the name changes.</p>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      {props.people.map((p) => {
        const thumb = p.photo ? smallestJpeg(p.photo) : undefined;
        return (
          <section class="panel" key={p.id} aria-labelledby={`person-${p.id}`}>
            <h2 id={`person-${p.id}`}>
              <a href={`/author/${p.slug}`}>{p.name}</a> <span class="hint">({p.articles} articles)</span>
            </h2>
            {thumb ? <img src={thumb} alt={p.name} width={120} /> : null}
            <form method="post" action={`/admin/people/${p.id}`} class="stack-form">
              <CsrfField token={props.csrf} />
              <div class="field">
                <label for={`name-${p.id}`}>Name</label>
                <input id={`name-${p.id}`} name="name" value={p.name} maxLength={80} required />
              </div>
              <div class="field">
                <label for={`bio-${p.id}`}>Biography</label>
                <textarea id={`bio-${p.id}`} name="bio" rows={3} maxLength={2000}>
                  {p.bio}
                </textarea>
              </div>
              {p.photo ? (
                <label class="checkbox-field">
                  <input type="checkbox" name="remove_photo" value="1" /> Remove the photo
                </label>
              ) : null}
              <button type="submit">Save profile</button>
            </form>
            <form method="post" action={`/admin/people/${p.id}/photo`} enctype="multipart/form-data" class="inline-form">
              <CsrfField token={props.csrf} />
              <div class="field">
                <label for={`photo-${p.id}`}>New photo</label>
                <input
                  id={`photo-${p.id}`}
                  name="file"
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
                  required
                />
              </div>
              <input type="hidden" name="alt" value={`Photo of ${p.name}`} />
              <button type="submit">Upload photo</button>
            </form>
          </section>
        );
      })}
    </AdminLayout>
  );
}

export interface StaffRow {
  id: number;
  email: string;
  name: string;
  role: string;
  active: number;
  last_login_at: string | null;
}

/** Staff accounts: invite with a generated password, change role, deactivate, issue a password-reset link. */
export function StaffPage(
  props: Common & {
    users: StaffRow[];
    invited?: { email: string; password: string };
    reset?: { email: string; link: string };
    typed?: Record<string, string>;
  },
) {
  const typed = props.typed ?? {};
  return (
    <AdminLayout title="Staff" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/users">
      <h1>Staff</h1>
      <Flash message={props.flash} />
      {props.invited ? (
        <div class="notice" role="status">
          <p>
            Account created for <strong>{props.invited.email}</strong>. Their password, shown only this once:{' '}
            <code class="password">{props.invited.password}</code>
          </p>
          <p class="hint">Pass it on safely; they can log in at /admin/login.</p>
        </div>
      ) : null}
      {props.reset ? (
        <div class="notice" role="status">
          <p>
            Password-reset link for <strong>{props.reset.email}</strong>, shown only this once:{' '}
            <code class="reset-link">{props.reset.link}</code>
          </p>
          <p class="hint">It works once, for one hour. Pass it on safely; a newer link replaces it.</p>
        </div>
      ) : null}
      <ErrorSummary error={props.error} />
      <p>
        <a href="/admin/tokens">API tokens</a> · <a href="/admin/account">Your own account</a>
      </p>
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => {
              const self = u.id === props.actor.userId;
              return (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <form method="post" action={`/admin/users/${u.id}/role`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <label class="visually-hidden" for={`role-${u.id}`}>
                        Role of {u.name}
                      </label>
                      <select id={`role-${u.id}`} name="role" disabled={self}>
                        {ROLES.map((r) => (
                          <option value={r} selected={r === u.role} key={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                      {self ? null : <button type="submit">Change</button>}
                    </form>
                  </td>
                  <td>
                    {u.active ? 'Active' : 'Deactivated'}
                    {self ? (
                      <span class="hint"> (you)</span>
                    ) : (
                      <form method="post" action={`/admin/users/${u.id}/${u.active ? 'deactivate' : 'activate'}`}>
                        <CsrfField token={props.csrf} />
                        <button type="submit" class={u.active ? 'danger' : undefined}>
                          {u.active ? 'Deactivate' : 'Reactivate'}
                        </button>
                      </form>
                    )}
                    {self || !u.active ? null : (
                      <form method="post" action={`/admin/users/${u.id}/reset`}>
                        <CsrfField token={props.csrf} />
                        <button type="submit">Password-reset link</button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/users" class="panel stack-form" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a colleague</h2>
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="invite-name">Name</label>
          <input id="invite-name" name="name" value={typed.name ?? ''} required maxLength={80} />
        </div>
        <div class="field">
          <label for="invite-email">Email</label>
          <input id="invite-email" name="email" type="email" value={typed.email ?? ''} required />
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === (typed.role ?? 'writer')} key={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          Create account
        </button>
      </form>
    </AdminLayout>
  );
}
