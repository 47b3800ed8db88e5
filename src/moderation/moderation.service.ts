import type { Kysely } from 'kysely';
import { setModerated } from '../comments/comment.repo.js';
import type { CommentRow, CommentStatus } from '../comments/comment.table.js';
import { retrain } from '../comments/spam.service.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { type BanChoice, banAuthor, banReason, DEFAULT_BAN } from './ban.service.js';
import { writeLog } from './moderation.repo.js';

export const ACTIONS = ['approve', 'reject', 'spam', 'ban'] as const;
export type ModerationAction = (typeof ACTIONS)[number];
export const isAction = (v: unknown): v is ModerationAction => typeof v === 'string' && (ACTIONS as readonly string[]).includes(v);

const TARGET: Record<ModerationAction, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam', ban: 'spam' };

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

async function applyOne(
  trx: Executor,
  comment: CommentRow,
  input: { action: ModerationAction; reason: string; actor: Actor; secret: string; ban: BanChoice },
): Promise<number[]> {
  const next = TARGET[input.action];
  const now = new Date().toISOString();
  await setModerated(trx, comment, { status: next, reason: input.reason, now });
  await retrain(trx, comment, next === 'approved' ? 'ham' : 'spam');
  // A ban writes its own log rows (what was banned, until when).
  const bans =
    input.action === 'ban'
      ? await banAuthor(trx, comment, { choice: input.ban, reason: input.reason, actor: input.actor, secret: input.secret })
      : [];
  if (input.action !== 'ban') await writeLog(trx, input.actor, input.action, comment.id, input.reason);
  const ref = await articleRef(trx, comment.article_id);
  await recordEvent(trx, next === 'approved' ? 'comment.approved' : 'comment.rejected', comment.id, { ...ref, status: next });
  return bans;
}

/**
 * Approves, rejects, marks as spam or bans (one or many comments) in one transaction, with log rows
 * and events. A ban marks the comment as spam and bans its author as `ban` says (by default their
 * email, with no end); it needs a reason.
 */
export async function moderate(
  db: Kysely<Database>,
  input: { ids: number[]; action: ModerationAction; reason?: unknown; actor: Actor; secret: string; ban?: BanChoice },
): Promise<{ changed: number[]; bans: number[] }> {
  const reason =
    input.action === 'ban'
      ? banReason(input.reason)
      : typeof input.reason === 'string'
        ? input.reason.normalize('NFC').trim().slice(0, 500)
        : '';
  const ids = [...new Set(input.ids)].slice(0, 500);
  if (ids.length === 0) throw new AppError('invalid', 'Select at least one comment.', 'ids');
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('comments').selectAll().where('id', 'in', ids).where('status', '!=', 'erased').execute();
    if (rows.length === 0) throw new AppError('not_found', 'There is no such comment.');
    const options = { action: input.action, reason, actor: input.actor, secret: input.secret, ban: input.ban ?? DEFAULT_BAN };
    const bans: number[] = [];
    for (const row of rows) bans.push(...(await applyOne(trx, row, options)));
    return { changed: rows.map((r) => r.id), bans };
  });
}
