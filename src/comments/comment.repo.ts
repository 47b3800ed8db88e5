import { sql } from 'kysely';
import { runCompiled, slot, slots } from '../db/compiled.js';
import type { Executor } from '../events.js';
import type { CommentRow, CommentStatus } from './comment.table.js';

export async function findComment(db: Executor, id: number): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The commenter row for an email, created on first use; the display name follows their latest comment. */
export async function upsertCommenter(trx: Executor, email: string, name: string, now: string): Promise<number> {
  const row = await trx
    .insertInto('commenters')
    .values({ email, name, approved_count: 0, rejected_count: 0, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('email').doUpdateSet({ name, last_seen_at: now }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function commenterHistory(db: Executor, email: string): Promise<{ approved: number; rejected: number }> {
  const row = await db.selectFrom('commenters').select(['approved_count', 'rejected_count']).where('email', '=', email).executeTakeFirst();
  return { approved: Number(row?.approved_count ?? 0), rejected: Number(row?.rejected_count ?? 0) };
}

/** The same body from this email's commenter or this address since `since`: two index ranges, never the whole table. */
export async function hasDuplicate(
  db: Executor,
  q: { email: string; ipHash: string; bodyHash: string; since: string; articleId: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('comments.id')
    .where('comments.body_hash', '=', q.bodyHash)
    .where('comments.created_at', '>', q.since)
    .where((eb) =>
      eb.or([
        eb('comments.commenter_id', '=', eb.selectFrom('commenters').select('commenters.id').where('commenters.email', '=', q.email)),
        eb('comments.ip_hash', '=', q.ipHash),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The ban that stops this email or address from commenting at `now`, if any (the email's ban first, then the longest). */
export async function activeBan(
  db: Executor,
  emailHash: string,
  ipHash: string,
  now: string,
): Promise<{ kind: 'email' | 'ip'; expires_at: string | null } | undefined> {
  const rows = await db
    .selectFrom('comment_bans')
    .select(['kind', 'expires_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('value_hash', '=', emailHash), eb('kind', '=', 'email')]),
        eb.and([eb('value_hash', '=', ipHash), eb('kind', '=', 'ip')]),
      ]),
    )
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  const rank = (b: { kind: string; expires_at: string | null }) => `${b.kind === 'email' ? 1 : 0}${b.expires_at ?? '9'}`;
  return rows.sort((a, b) => rank(b).localeCompare(rank(a)))[0];
}

export async function loadWords(db: Executor): Promise<{ banned: string[]; suspect: string[] }> {
  const rows = await db.selectFrom('comment_words').select(['kind', 'word']).orderBy('word').execute();
  return {
    banned: rows.filter((r) => r.kind === 'banned').map((r) => r.word),
    suspect: rows.filter((r) => r.kind === 'suspect').map((r) => r.word),
  };
}

export async function countApproved(db: Executor, articleId: number): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type PublicComment = Pick<CommentRow, 'id' | 'parent_id' | 'root_id' | 'depth' | 'name' | 'body' | 'status' | 'created_at'>;

const PUBLIC_COLUMNS = ['id', 'parent_id', 'root_id', 'depth', 'name', 'body', 'status', 'created_at'] as const;
/** Erased comments stay as placeholders so that replies to them keep their place. */
const VISIBLE: CommentStatus[] = ['approved', 'erased'];

/**
 * One page of threads: top-level comments (oldest or newest first) and every visible reply in
 * them, with how many top-level comments there are and how many comments are approved (one
 * reading of the article's visible comments counts both).
 */
export async function listThreads(
  db: Executor,
  articleId: number,
  opts: { offset: number; limit: number; newest: boolean },
): Promise<{ roots: number; approved: number; comments: PublicComment[] }> {
  const dir = opts.newest ? 'desc' : 'asc';
  // Fixed shapes, compiled once (src/db/compiled.ts): an article page asks for these every time.
  const [[counts], roots] = await Promise.all([
    runCompiled(
      db,
      'comments.counts',
      (d) =>
        d
          .selectFrom('comments')
          .select((eb) => [
            eb.fn.countAll().filterWhere('parent_id', 'is', null).as('roots'),
            eb.fn.countAll().filterWhere('status', '=', 'approved').as('approved'),
          ])
          .where('article_id', '=', slot<number>(0))
          .where('status', 'in', VISIBLE),
      [articleId],
    ),
    runCompiled(
      db,
      `comments.roots:${dir}`,
      (d) =>
        d
          .selectFrom('comments')
          .select(PUBLIC_COLUMNS)
          .where('article_id', '=', slot<number>(0))
          .where('parent_id', 'is', null)
          .where('status', 'in', VISIBLE)
          .orderBy('created_at', dir)
          .orderBy('id', dir)
          .limit(slot<number>(1))
          .offset(slot<number>(2)),
      [articleId, opts.limit, opts.offset],
    ),
  ]);
  const ids = roots.map((r) => r.id);
  const replies = ids.length
    ? await runCompiled(
        db,
        `comments.replies:${ids.length}`,
        (d) =>
          d
            .selectFrom('comments')
            .select(PUBLIC_COLUMNS)
            .where('root_id', 'in', slots<number>(ids.length))
            .where('parent_id', 'is not', null)
            .where('status', 'in', VISIBLE)
            .orderBy('created_at', 'asc')
            .orderBy('id', 'asc'),
        ids,
      )
    : [];
  return { roots: Number(counts?.roots ?? 0), approved: Number(counts?.approved ?? 0), comments: [...roots, ...replies] };
}

/** Approved comments of an article, oldest first, for the public API. */
export async function listApproved(db: Executor, articleId: number, opts: { offset: number; limit: number }): Promise<PublicComment[]> {
  return db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export async function adjustCommenterCounts(trx: Executor, commenterId: number | null, approved: number, rejected: number): Promise<void> {
  if (commenterId === null || (approved === 0 && rejected === 0)) return;
  await trx
    .updateTable('commenters')
    .set({
      approved_count: sql`approved_count + ${approved}`,
      rejected_count: sql`rejected_count + ${rejected}`,
    })
    .where('id', '=', commenterId)
    .execute();
}

const isBad = (s: CommentStatus) => s === 'rejected' || s === 'spam';

/**
 * A moderator's decision on one comment: its new status (with the reason, unless approved), the time,
 * its open reports resolved and its commenter's counts moved. Runs inside the caller's transaction,
 * which records the event.
 */
export async function setModerated(
  trx: Executor,
  comment: Pick<CommentRow, 'id' | 'status' | 'commenter_id'>,
  input: { status: CommentStatus; reason: string; now: string },
): Promise<void> {
  const next = input.status;
  await trx
    .updateTable('comments')
    .set({ status: next, reject_reason: next === 'approved' ? null : input.reason || null, moderated_at: input.now, open_reports: 0 })
    .where('id', '=', comment.id)
    .execute();
  await trx
    .updateTable('comment_reports')
    .set({ resolved_at: input.now })
    .where('comment_id', '=', comment.id)
    .where('resolved_at', 'is', null)
    .execute();
  await adjustCommenterCounts(
    trx,
    comment.commenter_id,
    Number(next === 'approved') - Number(comment.status === 'approved'),
    Number(isBad(next)) - Number(isBad(comment.status)),
  );
}
