import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { type BanDraft, Item } from './moderation.item.js';
import { countLabel, type Queue, type QueueItem, type QueueSort } from './moderation.repo.js';

const QUEUE_LABELS: Record<Queue, string> = { pending: 'Pending', reported: 'Reported', approved: 'Approved', rejected: 'Rejected & spam' };

export interface DeskProps {
  siteName: string;
  actor: Actor;
  csrf: string;
  queue: Queue;
  sort: QueueSort;
  articleId?: number;
  counts: Record<Queue, number>;
  items: QueueItem[];
  reports: Map<number, string[]>;
  articles: { id: number; headline: string }[];
  page: number;
  hasMore: boolean;
  /** Model still learning: scores only sort and flag. */
  learning: { spam: number; ham: number; needed: number } | null;
  flash?: string;
  /** An action the server refused (e.g. a ban without a reason), with what was typed for it. */
  error?: string;
  banDraft?: BanDraft;
  self: string;
}

function deskUrl(p: { queue: Queue; sort?: QueueSort; articleId?: number; page?: number }): string {
  const q = new URLSearchParams({ queue: p.queue });
  if (p.sort && p.sort !== 'newest') q.set('sort', p.sort);
  if (p.articleId) q.set('article', String(p.articleId));
  if (p.page && p.page > 1) q.set('page', String(p.page));
  return `/admin/comments?${q}`;
}

export function DeskPage(props: DeskProps) {
  return (
    <AdminLayout
      title="Comments"
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current="/admin/comments"
      scripts={['moderation.js']}
    >
      <h1>Comments</h1>
      <p class="mod-links">
        <a href="/admin/comments/log">Moderation log</a> · <a href="/admin/comments/bans">Bans</a> ·{' '}
        <a href="/admin/comments/settings">Comment settings</a>
      </p>
      {props.error ? (
        <p class="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.flash ? (
        <p class="comment-notice" role="status">
          {props.flash}
        </p>
      ) : null}
      <nav class="mod-queues" aria-label="Queues">
        <ul>
          {(Object.keys(QUEUE_LABELS) as Queue[]).map((q) => (
            <li key={q}>
              <a
                href={deskUrl({ queue: q, sort: props.sort, articleId: props.articleId })}
                aria-current={q === props.queue ? 'page' : undefined}
              >
                {QUEUE_LABELS[q]} <span class="count">({countLabel(props.counts[q])})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/admin/comments" class="mod-filter">
        <input type="hidden" name="queue" value={props.queue} />
        <label for="mod-sort">Order</label>
        <select id="mod-sort" name="sort">
          <option value="newest" selected={props.sort === 'newest'}>
            Newest first
          </option>
          <option value="oldest" selected={props.sort === 'oldest'}>
            Oldest first
          </option>
          <option value="score" selected={props.sort === 'score'}>
            Highest spam score first
          </option>
        </select>
        <label for="mod-article">Article</label>
        <select id="mod-article" name="article">
          <option value="">All articles</option>
          {props.articles.map((a) => (
            <option key={a.id} value={a.id} selected={a.id === props.articleId}>
              {a.headline}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      {props.learning ? (
        <p class="hint">
          The spam filter is still learning ({props.learning.spam} rejected and {props.learning.ham} approved decisions; it needs{' '}
          {props.learning.needed} of each): scores only sort and flag.
        </p>
      ) : null}
      <p class="hint">Keyboard: j / k move, a approve, r reject (type a reason, then Enter), s spam, x select.</p>
      {props.items.length === 0 ? (
        <p>This queue is empty.</p>
      ) : (
        <form method="post" action="/admin/comments/bulk" class="mod-form" data-moderation data-csrf={props.csrf}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="next" value={props.self} />
          <fieldset class="mod-bulk">
            <legend>Selected comments</legend>
            <label for="bulk-reason">Reason</label>
            <input id="bulk-reason" name="reason" maxLength={500} />
            <button type="submit" name="action" value="approve">
              Approve selected
            </button>
            <button type="submit" name="action" value="reject">
              Reject selected
            </button>
            <button type="submit" name="action" value="spam">
              Mark selected as spam
            </button>
          </fieldset>
          <ol class="mod-list">
            {props.items.map((item) => (
              <Item
                key={item.id}
                item={item}
                reports={props.reports.get(item.id) ?? []}
                learning={props.learning !== null}
                draft={props.banDraft?.id === item.id ? props.banDraft : undefined}
                deskUrl={(articleId) => deskUrl({ queue: 'pending', articleId })}
              />
            ))}
          </ol>
        </form>
      )}
      <nav class="pagination" aria-label="Pages">
        {props.page > 1 ? (
          <a rel="prev" href={deskUrl({ queue: props.queue, sort: props.sort, articleId: props.articleId, page: props.page - 1 })}>
            Previous
          </a>
        ) : null}{' '}
        {props.hasMore ? (
          <a rel="next" href={deskUrl({ queue: props.queue, sort: props.sort, articleId: props.articleId, page: props.page + 1 })}>
            Next
          </a>
        ) : null}
      </nav>
    </AdminLayout>
  );
}

export function LogPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  rows: { id: number; comment_id: number | null; actor_name: string; action: string; reason: string; created_at: string }[];
  page: number;
  hasMore: boolean;
}) {
  return (
    <AdminLayout title="Moderation log" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/comments">
      <h1>Moderation log</h1>
      <p>
        <a href="/admin/comments">Back to the queues</a>
      </p>
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Comment</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time datetime={r.created_at}>{r.created_at.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>{r.actor_name}</td>
                <td>{r.action}</td>
                <td>{r.comment_id ?? '—'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pagination" aria-label="Pages">
        {props.page > 1 ? <a href={`/admin/comments/log?page=${props.page - 1}`}>Previous</a> : null}{' '}
        {props.hasMore ? <a href={`/admin/comments/log?page=${props.page + 1}`}>Next</a> : null}
      </nav>
    </AdminLayout>
  );
}
