import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import type { Executor } from '../events.js';

export const QUEUES = ['pending', 'reported', 'approved', 'rejected'] as const;
export type Queue = (typeof QUEUES)[number];
export const isQueue = (v: unknown): v is Queue => typeof v === 'string' && (QUEUES as readonly string[]).includes(v);
export type QueueSort = 'newest' | 'oldest' | 'score';

function inQueue<O>(q: SelectQueryBuilder<Database, 'comments', O>, queue: Queue) {
  switch (queue) {
    case 'pending':
      return q.where('comments.status', '=', 'pending');
    case 'reported':
      return q.where('comments.open_reports', '>', 0).where('comments.status', 'in', ['approved', 'pending']);
    case 'approved':
      return q.where('comments.status', '=', 'approved');
    case 'rejected':
      return q.where('comments.status', 'in', ['rejected', 'spam']);
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

/** One page of a moderation queue, with what a moderator needs to decide. */
export async function listQueue(
  db: Executor,
  opts: { queue: Queue; sort: QueueSort; articleId?: number; offset: number; limit: number },
): Promise<QueueItem[]> {
  let q = inQueue(
    db
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .leftJoin('commenters', 'commenters.id', 'comments.commenter_id')
      .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
      .select([
        'comments.id',
        'comments.article_id',
        'articles.headline',
        'articles.slug as article_slug',
        'sections.slug as section_slug',
        'comments.parent_id',
        'parent.name as parent_name',
        'parent.body as parent_body',
        'comments.name',
        'commenters.email',
        'commenters.approved_count',
        'commenters.rejected_count',
        'comments.body',
        'comments.status',
        'comments.reasons',
        'comments.spam_score',
        'comments.ip_hash',
        'comments.open_reports',
        'comments.reject_reason',
        'comments.created_at',
        'comments.moderated_at',
      ]),
    opts.queue,
  );
  if (opts.articleId) q = q.where('comments.article_id', '=', opts.articleId);
  if (opts.sort === 'score') q = q.orderBy('comments.spam_score', (ob) => ob.desc().nullsLast());
  const dir = opts.sort === 'oldest' ? 'asc' : 'desc';
  return (await q
    .orderBy('comments.created_at', dir)
    .orderBy('comments.id', dir)
    .limit(opts.limit)
    .offset(opts.offset)
    .execute()) as QueueItem[];
}

export async function queueCounts(db: Executor, articleId?: number): Promise<Record<Queue, number>> {
  const counts = {} as Record<Queue, number>;
  for (const queue of QUEUES) {
    let q = inQueue(
      db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')),
      queue,
    );
    if (articleId) q = q.where('comments.article_id', '=', articleId);
    counts[queue] = Number((await q.executeTakeFirst())?.n ?? 0);
  }
  return counts;
}

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
