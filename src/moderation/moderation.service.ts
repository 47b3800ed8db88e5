import type { Kysely } from 'kysely';
import { hashEmail } from '../comments/comment.hash.js';
import { adjustCommenterCounts } from '../comments/comment.repo.js';
import type { CommentRow, CommentStatus } from '../comments/comment.table.js';
import { retrain } from '../comments/spam.service.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import type { Actor } from '../users/user.table.js';

export const ACTIONS = ['approve', 'reject', 'spam', 'ban'] as const;
export type ModerationAction = (typeof ACTIONS)[number];
export const isAction = (v: unknown): v is ModerationAction => typeof v === 'string' && (ACTIONS as readonly string[]).includes(v);

const TARGET: Record<ModerationAction, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam', ban: 'spam' };
const isBad = (s: CommentStatus) => s === 'rejected' || s === 'spam';

/** The public page of the comment's article, named in events so its cached copy can be purged. */
async function articleRef(trx: Executor, articleId: number) {
  const a = await trx
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.slug', 'sections.slug as section_slug'])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  return { articleId, url: a ? `/${a.section_slug}/${a.slug}` : null };
}

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

/** Bans the commenter of a comment by keyed hashes of their email and address. */
async function banCommenter(trx: Executor, comment: CommentRow, secret: string, reason: string): Promise<void> {
  const commenter = comment.commenter_id
    ? await trx.selectFrom('commenters').select('email').where('id', '=', comment.commenter_id).executeTakeFirst()
    : undefined;
  const now = new Date().toISOString();
  const bans: { kind: 'email' | 'ip'; value_hash: string }[] = [];
  if (commenter) bans.push({ kind: 'email', value_hash: hashEmail(secret, commenter.email) });
  if (comment.ip_hash) bans.push({ kind: 'ip', value_hash: comment.ip_hash });
  for (const ban of bans) {
    await trx
      .insertInto('comment_bans')
      .values({ ...ban, reason, created_at: now })
      .onConflict((oc) => oc.columns(['kind', 'value_hash']).doNothing())
      .execute();
  }
  await recordEvent(trx, 'commenter.banned', comment.commenter_id, { commentId: comment.id });
}

async function applyOne(
  trx: Executor,
  comment: CommentRow,
  input: { action: ModerationAction; reason: string; actor: Actor; secret: string },
): Promise<void> {
  const next = TARGET[input.action];
  const prev = comment.status;
  const now = new Date().toISOString();
  await trx
    .updateTable('comments')
    .set({ status: next, reject_reason: next === 'approved' ? null : input.reason || null, moderated_at: now, open_reports: 0 })
    .where('id', '=', comment.id)
    .execute();
  await trx
    .updateTable('comment_reports')
    .set({ resolved_at: now })
    .where('comment_id', '=', comment.id)
    .where('resolved_at', 'is', null)
    .execute();
  await adjustCommenterCounts(
    trx,
    comment.commenter_id,
    Number(next === 'approved') - Number(prev === 'approved'),
    Number(isBad(next)) - Number(isBad(prev)),
  );
  await retrain(trx, comment, next === 'approved' ? 'ham' : 'spam');
  if (input.action === 'ban') await banCommenter(trx, comment, input.secret, input.reason);
  await writeLog(trx, input.actor, input.action, comment.id, input.reason);
  const ref = await articleRef(trx, comment.article_id);
  await recordEvent(trx, next === 'approved' ? 'comment.approved' : 'comment.rejected', comment.id, { ...ref, status: next });
}

/** Approves, rejects, marks as spam or bans (one or many comments) in one transaction, with log rows and events. */
export async function moderate(
  db: Kysely<Database>,
  input: { ids: number[]; action: ModerationAction; reason?: unknown; actor: Actor; secret: string },
): Promise<{ changed: number[] }> {
  const reason = typeof input.reason === 'string' ? input.reason.normalize('NFC').trim().slice(0, 500) : '';
  const ids = [...new Set(input.ids)].slice(0, 500);
  if (ids.length === 0) throw new AppError('invalid', 422, 'Select at least one comment.', 'ids');
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('comments').selectAll().where('id', 'in', ids).where('status', '!=', 'erased').execute();
    if (rows.length === 0) throw new AppError('not_found', 404, 'There is no such comment.');
    for (const row of rows) await applyOne(trx, row, { action: input.action, reason, actor: input.actor, secret: input.secret });
    return { changed: rows.map((r) => r.id) };
  });
}
