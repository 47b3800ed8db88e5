import type { Kysely } from 'kysely';
import type { CommentTarget } from '../articles/article.repo.js';
import { articleUrl } from '../articles/article.urls.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors.js';
import { recordEvent } from '../events.js';
import { hashEmail, hashIp } from './comment.hash.js';
import type { RateLimitStore } from './comment.limiter.js';
import {
  activeBan,
  adjustCommenterCounts,
  commenterHistory,
  findComment,
  hasDuplicate,
  loadWords,
  upsertCommenter,
} from './comment.repo.js';
import { type CommentPolicy, type Decision, decide, type RawSubmission, type RuleContext, validate } from './comment.rules.js';
import { bodyHash, normalizeText } from './comment.text.js';
import { scoreComment } from './spam.service.js';

export interface SubmitInput {
  article: CommentTarget | undefined;
  raw: RawSubmission;
  source: 'form' | 'api';
  honeypot?: string;
  formAgeMs?: number | null;
  ip: string;
  secret: string;
  policy: CommentPolicy;
  limiter: RateLimitStore;
  now?: Date;
}

export interface SubmitResult {
  /** null when a bot trap dropped it. */
  id: number | null;
  /** What the commenter is told: "approved" only when it went live at once; otherwise "pending". */
  status: 'pending' | 'approved';
  decision: Decision;
}

/** Runs the policy pipeline and stores the comment with its decision and event in one transaction. */
export async function submitComment(db: Kysely<Database>, input: SubmitInput): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  const article = input.article;
  if (article?.status !== 'published') throw notFound('There is no such article.');
  const fields = validate(input.raw);
  const ipHash = hashIp(input.secret, input.ip);
  const draft = {
    ...fields,
    source: input.source,
    honeypot: input.honeypot ?? '',
    formAgeMs: input.formAgeMs ?? null,
    ipHash,
    emailHash: hashEmail(input.secret, fields.email),
  };
  const hash = bodyHash(draft.body);
  const ctx: RuleContext = {
    now,
    policy: input.policy,
    article: { commentsOpen: article.commentsOpen, publishedAt: article.publishedAt, status: article.status },
    words: await loadWords(db),
    parent: async (id) => {
      const p = await findComment(db, id);
      return p && p.article_id === article.id ? p : undefined;
    },
    activeBan: (emailHash, ip) => activeBan(db, emailHash, ip, now.toISOString()),
    rateHit: (keys, rules) => input.limiter.hit(keys, rules, now.getTime()),
    hasRecentDuplicate: (d, since) =>
      hasDuplicate(db, { email: d.email, ipHash: d.ipHash, bodyHash: hash, since: since.toISOString(), articleId: article.id }),
    spam: (d) => scoreComment(db, d.name, d.body),
    history: (email) => commenterHistory(db, email),
  };
  const decision = await decide(draft, ctx);
  if (decision.discarded) return { id: null, status: 'pending', decision };
  const id = await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const commenterId = await upsertCommenter(trx, draft.email, draft.name, at);
    const parent = draft.parentId ? await findComment(trx, draft.parentId) : undefined;
    const row = await trx
      .insertInto('comments')
      .values({
        article_id: article.id,
        parent_id: parent?.id ?? null,
        root_id: parent ? (parent.root_id ?? parent.id) : null,
        depth: parent ? parent.depth + 1 : 0,
        commenter_id: commenterId,
        name: draft.name,
        body: draft.body,
        body_hash: hash,
        status: decision.status,
        reasons: JSON.stringify(decision.reasons),
        spam_score: decision.score,
        trained_as: null,
        ip_hash: ipHash,
        source: input.source,
        open_reports: 0,
        reject_reason: decision.status === 'rejected' ? decision.reasons.join('; ') : null,
        created_at: at,
        moderated_at: decision.status === 'pending' ? null : at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A top-level comment is the root of its own thread.
    if (!parent) await trx.updateTable('comments').set({ root_id: row.id }).where('id', '=', row.id).execute();
    if (decision.status === 'approved') await adjustCommenterCounts(trx, commenterId, 1, 0);
    await recordEvent(trx, 'comment.submitted', row.id, { articleId: article.id, url: articleUrl(article), status: decision.status });
    if (decision.status === 'approved')
      await recordEvent(trx, 'comment.approved', row.id, { articleId: article.id, url: articleUrl(article) });
    return row.id;
  });
  return { id, status: decision.status === 'approved' ? 'approved' : 'pending', decision };
}

/** A reader's report: the comment enters the reported queue until a moderator resolves it. */
export async function reportComment(
  db: Kysely<Database>,
  input: { commentId: number; reason: unknown; ip: string; secret: string; now?: Date },
): Promise<void> {
  const reason = normalizeText(typeof input.reason === 'string' ? input.reason : '').slice(0, 500);
  if (!reason) throw new AppError('invalid', 'Please say briefly what is wrong with this comment.', 'reason');
  const at = (input.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    const comment = await findComment(trx, input.commentId);
    if (comment?.status !== 'approved') throw notFound('There is no such comment.');
    const ipHash = hashIp(input.secret, input.ip);
    // One open report per reader and comment is enough.
    const already = await trx
      .selectFrom('comment_reports')
      .select('id')
      .where('comment_id', '=', comment.id)
      .where('ip_hash', '=', ipHash)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (already) return;
    await trx
      .insertInto('comment_reports')
      .values({ comment_id: comment.id, reason, ip_hash: ipHash, created_at: at, resolved_at: null })
      .execute();
    await trx
      .updateTable('comments')
      .set((eb) => ({ open_reports: eb('open_reports', '+', 1) }))
      .where('id', '=', comment.id)
      .execute();
    await recordEvent(trx, 'comment.reported', comment.id, { articleId: comment.article_id });
  });
}
