import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import { MAX_PATH } from './redirect.path.js';
import type { RedirectPage } from './redirect.repo.js';
import type { Redirect } from './redirect.table.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  error?: FormError;
  flash?: string;
}

export interface TypedRedirect {
  from: string;
  to: string;
}

const listHref = (q: string, page: number) => {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/admin/redirects?${s}` : '/admin/redirects';
};

function PathField(props: { name: 'from' | 'to'; label: string; value: string; error?: FormError; hint?: string }) {
  const id = `f-${props.name}`;
  const invalid = props.error?.field === props.name;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        value={props.value}
        required
        maxLength={MAX_PATH}
        placeholder="/section/slug"
        autocomplete="off"
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? `${props.name}-error` : undefined}
      />
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <FieldError error={props.error} field={props.name} />
    </div>
  );
}

/** Every redirect, newest first, searchable; administrators add, change and delete them. */
export function RedirectsPage(
  props: Common & {
    list: RedirectPage;
    q: string;
    page: number;
    canEdit: boolean;
    typed?: TypedRedirect;
    settings: Pick<SiteSettings, 'locale' | 'timeZone'>;
  },
) {
  const { list, q, page } = props;
  return (
    <AdminLayout title="Redirects" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/redirects">
      <h1>Redirects</h1>
      <p class="hint">
        An old address answers “moved permanently” (301) and sends readers and search engines to the new one. Moving an article (a new slug
        or section) adds its redirect by itself.
      </p>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      {props.canEdit ? (
        <form method="post" action="/admin/redirects" class="panel" aria-labelledby="new-redirect">
          <h2 id="new-redirect">New redirect</h2>
          <CsrfField token={props.csrf} />
          <PathField name="from" label="Old path" value={props.typed?.from ?? ''} error={props.error} />
          <PathField
            name="to"
            label="New path"
            value={props.typed?.to ?? ''}
            error={props.error}
            hint="A path on this site, e.g. /politics/council-budget. A query (?…) is allowed here."
          />
          <button type="submit" class="primary">
            Add redirect
          </button>
        </form>
      ) : null}
      <form method="get" action="/admin/redirects" class="filters" role="search">
        <div class="field">
          <label for="filter-q">Path contains</label>
          <input id="filter-q" name="q" type="search" value={q} maxLength={MAX_PATH} />
        </div>
        <button type="submit">Search</button>
      </form>
      {list.rows.length ? (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Old path</th>
                <th scope="col">New path</th>
                <th scope="col">Article</th>
                <th scope="col">Changed</th>
                {props.canEdit ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <code>{r.from_path}</code>
                  </td>
                  <td>
                    <a href={r.to_path}>
                      <code>{r.to_path}</code>
                    </a>
                  </td>
                  <td>{r.article_id ? <a href={`/admin/articles/${r.article_id}/edit`}>{r.headline || 'Untitled'}</a> : '—'}</td>
                  <td>
                    <time datetime={r.updated_at}>{formatDateTime(r.updated_at, props.settings)}</time>
                  </td>
                  {props.canEdit ? (
                    <td>
                      <a href={`/admin/redirects/${r.id}`}>
                        Edit<span class="visually-hidden"> the redirect from {r.from_path}</span>
                      </a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{q ? 'No redirect matches.' : 'No redirects yet.'}</p>
      )}
      {page > 1 || list.more ? (
        <nav class="pagination" aria-label="Pages">
          {page > 1 ? <a href={listHref(q, page - 1)}>← Newer</a> : <span />}
          <span>Page {page}</span>
          {list.more ? (
            <a rel="next" href={listHref(q, page + 1)}>
              Older →
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

/** One redirect: point it elsewhere, or delete it. */
export function RedirectEditPage(props: Common & { row: Redirect; typedTo?: string }) {
  const { row } = props;
  return (
    <AdminLayout title="Edit redirect" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/redirects">
      <p>
        <a href="/admin/redirects">← All redirects</a>
      </p>
      <h1>
        Redirect from <code>{row.from_path}</code>
      </h1>
      <ErrorSummary error={props.error} />
      <form method="post" action={`/admin/redirects/${row.id}`} class="panel">
        <CsrfField token={props.csrf} />
        <PathField name="to" label="New path" value={props.typedTo ?? row.to_path} error={props.error} />
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <form method="post" action={`/admin/redirects/${row.id}/delete`} class="panel">
        <CsrfField token={props.csrf} />
        <p class="hint">Deleting it makes {row.from_path} answer “not found” again (unless an article is published there).</p>
        <button type="submit" class="danger">
          Delete redirect
        </button>
      </form>
    </AdminLayout>
  );
}
