import type { Kysely } from 'kysely';
import { adjustCommenterCounts, upsertCommenter } from '../comments/comment.repo.js';
import { type Decision, type Draft, type RuleContext, tooManyLinks } from '../comments/comment.rules.js';
import { bodyHash } from '../comments/comment.text.js';
import { scoreComment } from '../comments/spam.service.js';
import type { Database } from '../db/database.js';
import { type Executor, recordEvent } from '../events.js';
import type { PublishResult } from '../publish/publish.service.js';
import { DEFAULT_SETTINGS } from '../settings/settings.service.js';
import { DEMO_COMMENTS, type DemoComment } from './content/comments.js';

const MINUTE = 60_000;

/** The reason the links rule gives this body under the default policy (so the demo says what the rule would). */
async function linkHold(body: string): Promise<string> {
  const decision: Decision = { status: 'pending', reasons: [], score: null, discarded: false };
  // The links rule reads only the body and the policy.
  const verdict = await tooManyLinks({ body } as Draft, { policy: DEFAULT_SETTINGS } as unknown as RuleContext, decision);
  if (verdict?.kind !== 'hold') throw new Error(`demo comment is not held by the links rule: ${body.slice(0, 40)}…`);
  return verdict.reason;
}

interface Stored {
  id: number;
  rootId: number;
  depth: number;
}

/** One comment as the comment service stores it, with the events it and a reader's reports record. */
async function insertComment(
  trx: Executor,
  c: DemoComment,
  ctx: { articleId: number; url: string; publishedAt: number; parent: Stored | undefined; now: number },
): Promise<Stored> {
  const at = ctx.publishedAt + c.minutes * MINUTE;
  if (at > ctx.now) throw new Error(`demo comment by ${c.name} would be written in the future`);
  const created = new Date(at).toISOString();
  const commenterId = await upsertCommenter(trx, c.email, c.name, created);
  const reasons = c.heldForLinks ? [await linkHold(c.body)] : [];
  const { score } = await scoreComment(trx, c.name, c.body);
  const reports = c.reports ?? [];
  const row = await trx
    .insertInto('comments')
    .values({
      article_id: ctx.articleId,
      parent_id: ctx.parent?.id ?? null,
      root_id: ctx.parent?.rootId ?? null,
      depth: ctx.parent ? ctx.parent.depth + 1 : 0,
      commenter_id: commenterId,
      name: c.name,
      body: c.body,
      body_hash: bodyHash(c.body),
      status: c.status,
      reasons: JSON.stringify(reasons),
      spam_score: score,
      trained_as: null,
      ip_hash: null,
      source: 'form',
      open_reports: reports.length,
      reject_reason: null,
      created_at: created,
      moderated_at: c.status === 'approved' ? new Date(Math.min(at + 20 * MINUTE, ctx.now)).toISOString() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rootId = ctx.parent?.rootId ?? row.id;
  if (!ctx.parent) await trx.updateTable('comments').set({ root_id: row.id }).where('id', '=', row.id).execute();
  await recordEvent(trx, 'comment.submitted', row.id, { articleId: ctx.articleId, url: ctx.url, status: 'pending' });
  if (c.status === 'approved') {
    await adjustCommenterCounts(trx, commenterId, 1, 0);
    await recordEvent(trx, 'comment.approved', row.id, { articleId: ctx.articleId, url: ctx.url });
  }
  for (const r of reports) {
    const when = new Date(Math.min(ctx.publishedAt + r.minutes * MINUTE, ctx.now)).toISOString();
    await trx
      .insertInto('comment_reports')
      .values({ comment_id: row.id, reason: r.reason, ip_hash: null, created_at: when, resolved_at: null })
      .execute();
    await recordEvent(trx, 'comment.reported', row.id, { articleId: ctx.articleId });
  }
  return { id: row.id, rootId, depth: ctx.parent ? ctx.parent.depth + 1 : 0 };
}

/**
 * Readers' comments on a few demo articles (src/demo/content/comments.ts), in one transaction. An
 * article that already has comments (the demo loaded before) is left as it is.
 */
export async function loadDemoComments(db: Kysely<Database>, articles: PublishResult[], now = new Date()): Promise<number> {
  const bySlug = new Map(articles.map((a) => [a.url.split('/').pop() ?? '', a]));
  return db.transaction().execute(async (trx) => {
    let count = 0;
    for (const [slug, comments] of Object.entries(DEMO_COMMENTS)) {
      const article = bySlug.get(slug);
      if (!article) continue;
      const row = await trx.selectFrom('articles').select(['published_at']).where('id', '=', article.id).executeTakeFirst();
      const has = await trx.selectFrom('comments').select('id').where('article_id', '=', article.id).limit(1).executeTakeFirst();
      if (!row?.published_at || has) continue;
      const stored = new Map<string, Stored>();
      for (const c of comments) {
        const parent = c.replyTo ? stored.get(c.replyTo) : undefined;
        if (c.replyTo && !parent) throw new Error(`demo comment by ${c.name} answers "${c.replyTo}", which is not listed before it`);
        const s = await insertComment(trx, c, {
          articleId: article.id,
          url: article.url,
          publishedAt: Date.parse(row.published_at),
          parent,
          now: now.getTime(),
        });
        if (c.key) stored.set(c.key, s);
        count++;
      }
    }
    return count;
  });
}
