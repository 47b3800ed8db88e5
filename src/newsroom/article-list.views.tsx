import { NEWSROOM_PAGE, type NewsroomFilter, type NewsroomRow } from '../articles/article.listing.js';
import { STATUS_LABELS } from '../articles/article.rules.js';
import { ARTICLE_STATUSES } from '../articles/article.table.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';

interface Option {
  id: number;
  name: string;
}

function pageHref(filter: NewsroomFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.sectionId) params.set('section', String(filter.sectionId));
  if (filter.personId) params.set('author', String(filter.personId));
  if (filter.q) params.set('q', filter.q);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return `/admin/articles${s ? `?${s}` : ''}`;
}

/** The newsroom's articles with status, section, author and headline filters, most recently changed first. */
export function ArticleListPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  settings: SiteSettings;
  filter: NewsroomFilter;
  list: { rows: NewsroomRow[]; total: number };
  sections: Option[];
  people: Option[];
}) {
  const { filter, list, settings } = props;
  const pages = Math.max(1, Math.ceil(list.total / NEWSROOM_PAGE));
  return (
    <AdminLayout title="Articles" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/articles">
      <div class="page-head">
        <h1>Articles</h1>
        <a class="button-like primary" href="/admin/articles/new">
          New article
        </a>
      </div>
      <nav class="status-tabs" aria-label="Filter by status">
        <ul>
          <li>
            <a href={pageHref({ ...filter, status: undefined }, 1)} aria-current={!filter.status ? 'page' : undefined}>
              All
            </a>
          </li>
          {ARTICLE_STATUSES.map((s) => (
            <li key={s}>
              <a href={pageHref({ ...filter, status: s }, 1)} aria-current={filter.status === s ? 'page' : undefined}>
                {STATUS_LABELS[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/admin/articles" class="filters" role="search">
        {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
        <div class="field">
          <label for="filter-q">Headline</label>
          <input id="filter-q" name="q" type="search" value={filter.q ?? ''} />
        </div>
        <div class="field">
          <label for="filter-section">Section</label>
          <select id="filter-section" name="section">
            <option value="">All sections</option>
            {props.sections.map((s) => (
              <option value={String(s.id)} selected={filter.sectionId === s.id} key={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-author">Author</label>
          <select id="filter-author" name="author">
            <option value="">All authors</option>
            {props.people.map((p) => (
              <option value={String(p.id)} selected={filter.personId === p.id} key={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <p class="hint">
        {list.total} {list.total === 1 ? 'article' : 'articles'}
      </p>
      {list.rows.length ? (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Headline</th>
                <th scope="col">Status</th>
                <th scope="col">Section</th>
                <th scope="col">Authors</th>
                <th scope="col">Publication</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/admin/articles/${r.id}/edit`}>{r.headline || 'Untitled'}</a>
                  </td>
                  <td>
                    <span class={`status status-${r.status}`}>{STATUS_LABELS[r.status]}</span>
                  </td>
                  <td>{r.section.name}</td>
                  <td>{r.authors.map((a) => a.name).join(', ')}</td>
                  <td>{r.publishedAt ? <time datetime={r.publishedAt}>{formatDateTime(r.publishedAt, settings)}</time> : '—'}</td>
                  <td>
                    <time datetime={r.modifiedAt}>{formatDateTime(r.modifiedAt, settings)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">No articles match.</p>
      )}
      {pages > 1 ? (
        <nav class="pagination" aria-label="Pages">
          {filter.page > 1 ? <a href={pageHref(filter, filter.page - 1)}>← Newer</a> : <span />}
          <span>
            Page {filter.page} of {pages}
          </span>
          {filter.page < pages ? <a href={pageHref(filter, filter.page + 1)}>Older →</a> : <span />}
        </nav>
      ) : null}
    </AdminLayout>
  );
}
