import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import type { Actor } from '../users/user.table.js';

export const QUEUES = ['pending', 'reported', 'approved', 'rejected'] as const;
export type Queue = (typeof QUEUES)[number];
export const isQueue = (v: unknown): v is Queue => typeof v === 'string' && (QUEUES as readonly string[]).includes(v);
export type QueueSort = 'newest' | 'oldest' | 'score';

/**
 * The comments of a queue. Statuses are written into the SQL as literals: queues differ in size by
 * orders of magnitude, and a prepared statement planned once for any status (PostgreSQL) would
 * read the small queues the way it reads the large one.
 */
function inQueue<O>(q: SelectQueryBuilder<Database, 'comments', O>, queue: Queue, db: Executor) {
  const is = <S extends string>(...statuses: S[]) => statuses.map((s) => sql.lit(s));
  switch (queue) {
    case 'pending':
      return q.where('comments.status', '=', sql.lit('pending'));
    case 'reported': {
      // Few comments have open reports: they are found through the reported index. SQLite's sampled
      // statistics rate that index no better than the status one, which walks every approved
      // comment (0.5-0.75 s at a million): `+status` takes the status index out of its choice.
      const status = dialectOf(db) === 'sqlite' ? sql<string>`+comments.status` : sql.ref<string>('comments.status');
      return q.where('comments.open_reports', '>', 0).where((eb) => eb(status, 'in', is('approved', 'pending')));
    }
    case 'approved':
      return q.where('comments.status', '=', sql.lit('approved'));
    case 'rejected':
      return q.where('comments.status', 'in', is('rejected', 'spam'));
  }
}

export interface QueueItem {
  id: number;
  article_id: number;
  headline: string;
  article_slug: string;
  section_slug: string;
  parent_id: number | null;
  parent_name: string | null;
  parent_body: string | null;
  name: string;
  email: string | null;
  approved_count: number | null;
  rejected_count: number | null;
  body: string;
  status: string;
  reasons: string;
  spam_score: number | null;
  ip_hash: string | null;
  open_reports: number;
  reject_reason: string | null;
  created_at: string;
  moderated_at: string | null;
}

/**
 * One page of a moderation queue, with what a moderator needs to decide. The page of comments is
 * chosen first, from the comments' own indexes, and only its rows are joined to their article,
 * commenter and parent: joined in one query, SQLite could start from the articles instead and read
 * every comment of every article (0.6 s for the reported queue at a million comments).
 */
export async function listQueue(
  db: Executor,
  opts: { queue: Queue; sort: QueueSort; articleId?: number; offset: number; limit: number },
): Promise<QueueItem[]> {
  const dir = opts.sort === 'oldest' ? 'asc' : 'desc';
  let page = inQueue(db.selectFrom('comments').selectAll('comments'), opts.queue, db);
  if (opts.articleId) page = page.where('comments.article_id', '=', opts.articleId);
  if (opts.sort === 'score') page = page.orderBy('comments.spam_score', (ob) => ob.desc().nullsLast());
  page = page.orderBy('comments.created_at', dir).orderBy('comments.id', dir).limit(opts.limit).offset(opts.offset);
  // CROSS JOIN keeps the page of comments as SQLite's outer loop (else it may walk every article).
  let q = db
    .selectFrom(page.as('page'))
    .crossJoin('articles')
    .crossJoin('sections')
    .whereRef('articles.id', '=', 'page.article_id')
    .whereRef('sections.id', '=', 'articles.section_id')
    .leftJoin('commenters', 'commenters.id', 'page.commenter_id')
    .leftJoin('comments as parent', 'parent.id', 'page.parent_id')
    .select([
      'page.id',
      'page.article_id',
      'articles.headline',
      'articles.slug as article_slug',
      'sections.slug as section_slug',
      'page.parent_id',
      'parent.name as parent_name',
      'parent.body as parent_body',
      'page.name',
      'commenters.email',
      'commenters.approved_count',
      'commenters.rejected_count',
      'page.body',
      'page.status',
      'page.reasons',
      'page.spam_score',
      'page.ip_hash',
      'page.open_reports',
      'page.reject_reason',
      'page.created_at',
      'page.moderated_at',
    ]);
  if (opts.sort === 'score') q = q.orderBy('page.spam_score', (ob) => ob.desc().nullsLast());
  return (await q.orderBy('page.created_at', dir).orderBy('page.id', dir).execute()) as QueueItem[];
}

/** How far the desk counts a queue: past it the tab says "10,000+" (counting 900,000 approved comments took 28 ms). */
export const DESK_COUNT_CAP = 10_000;

/** How many comments one queue holds (exactly, or up to `cap + 1` when a cap is given). */
export async function queueTotal(db: Executor, queue: Queue, articleId?: number, cap?: number): Promise<number> {
  let q = inQueue(db.selectFrom('comments').select('comments.id'), queue, db);
  if (articleId) q = q.where('comments.article_id', '=', articleId);
  const counted = cap === undefined ? q : q.limit(cap + 1);
  const row = await db
    .selectFrom(counted.as('queued'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every queue's count, each up to `cap + 1` (more than `cap` means "more than that"). */
export async function queueCounts(db: Executor, articleId?: number, cap = DESK_COUNT_CAP): Promise<Record<Queue, number>> {
  const totals = await Promise.all(QUEUES.map((queue) => queueTotal(db, queue, articleId, cap)));
  return Object.fromEntries(QUEUES.map((queue, i) => [queue, totals[i]])) as Record<Queue, number>;
}

/** A queue's count as the desk shows it. */
export const countLabel = (n: number, cap = DESK_COUNT_CAP) => (n > cap ? `${cap.toLocaleString('en')}+` : n.toLocaleString('en'));

/** Open report reasons for a set of comments. */
export async function openReports(db: Executor, ids: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('comment_reports')
    .select(['comment_id', 'reason'])
    .where('comment_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .orderBy('id')
    .execute();
  for (const r of rows) map.set(r.comment_id, [...(map.get(r.comment_id) ?? []), r.reason]);
  return map;
}

/** One row of the moderation log (inside the transaction of the change it describes). */
export async function writeLog(trx: Executor, actor: Actor, action: string, commentId: number | null, reason = ''): Promise<void> {
  await trx
    .insertInto('moderation_log')
    .values({
      comment_id: commentId,
      actor_user_id: actor.userId,
      actor_name: actor.name,
      action,
      reason,
      created_at: new Date().toISOString(),
    })
    .execute();
}

export async function moderationLog(db: Executor, opts: { offset: number; limit: number; commentId?: number }) {
  let q = db
    .selectFrom('moderation_log')
    .select(['id', 'comment_id', 'actor_name', 'action', 'reason', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (opts.commentId) q = q.where('comment_id', '=', opts.commentId);
  return q.limit(opts.limit).offset(opts.offset).execute();
}

/**
 * The newest published articles that have comments in a queue, for the filter menu. Walked newest
 * first, each checked in the comments' (article, status) index, so it stops after `limit` articles
 * however many comments the site holds.
 */
export async function articlesWithComments(db: Executor, limit = 200) {
  return db
    .selectFrom('articles')
    .select(['articles.id', 'articles.headline'])
    .where('articles.status', '=', 'published')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('comments')
          .select('comments.id')
          .whereRef('comments.article_id', '=', 'articles.id')
          .where('comments.status', 'in', ['pending', 'approved']),
      ),
    )
    .orderBy('articles.published_at', 'desc')
    .limit(limit)
    .execute();
}
