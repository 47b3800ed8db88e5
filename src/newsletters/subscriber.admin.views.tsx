import { Flash } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import type { AdminCommon } from './list.views.js';
import type { SubscriberRow } from './subscriber.repo.js';

export const STATUSES = ['pending', 'confirmed', 'unsubscribed', 'bounced'] as const;

const href = (q: string, status: string, page: number) => {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (status) params.set('status', status);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/admin/newsletters/subscribers?${s}` : '/admin/newsletters/subscribers';
};

/** Subscribers, searchable by address; each can be exported (data access) or erased. */
export function SubscribersPage(
  props: AdminCommon & {
    rows: SubscriberRow[];
    total: number;
    q: string;
    status: string;
    page: number;
    size: number;
    settings: Pick<SiteSettings, 'locale' | 'timeZone'>;
  },
) {
  const { q, status, page } = props;
  const more = page * props.size < props.total;
  return (
    <AdminLayout title="Subscribers" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/newsletters">
      <p>
        <a href="/admin/newsletters">← Newsletters</a>
      </p>
      <h1>Subscribers</h1>
      <Flash message={props.flash} />
      <form method="get" action="/admin/newsletters/subscribers" class="filters" role="search">
        <div class="field">
          <label for="filter-q">Address contains</label>
          <input id="filter-q" name="q" type="search" value={q} maxLength={254} />
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s} selected={status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <p class="hint">{props.total} subscribers match.</p>
      {props.rows.length ? (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">Lists</th>
                <th scope="col">Signed up</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.email}</td>
                  <td>{r.status}</td>
                  <td>{r.lists}</td>
                  <td>
                    <time datetime={r.created_at}>{formatDateTime(r.created_at, props.settings)}</time>
                  </td>
                  <td>
                    <a href={`/admin/newsletters/subscribers/${r.id}/export?format=json`}>
                      JSON<span class="visually-hidden"> export of {r.email}</span>
                    </a>{' '}
                    <a href={`/admin/newsletters/subscribers/${r.id}/export?format=csv`}>
                      CSV<span class="visually-hidden"> export of {r.email}</span>
                    </a>
                    <form method="post" action={`/admin/newsletters/subscribers/${r.id}/erase`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="danger">
                        Erase<span class="visually-hidden"> {r.email}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{q || status ? 'No subscriber matches.' : 'No subscribers yet.'}</p>
      )}
      {page > 1 || more ? (
        <nav class="pagination" aria-label="Pages">
          {page > 1 ? <a href={href(q, status, page - 1)}>← Newer</a> : <span />}
          <span>Page {page}</span>
          {more ? (
            <a rel="next" href={href(q, status, page + 1)}>
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
