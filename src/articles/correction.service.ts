import { runCompiled, slot } from '../db/compiled.js';
import { AppError, invalid, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import type { Actor } from '../users/user.table.js';

export interface Correction {
  id: number;
  body: string;
  actorName: string;
  createdAt: string;
}

export const CORRECTION_MAX = 2000;

/**
 * Appends a dated public correction to a published article and marks the article updated.
 * Corrections cannot be edited or removed afterwards: the record stays honest.
 */
export async function addCorrection(
  trx: Executor,
  input: { actor: Actor; articleId: number; body: string; now?: Date },
): Promise<Correction> {
  const { actor } = input;
  if (actor.role !== 'editor' && actor.role !== 'admin') throw new AppError('forbidden', 'Only editors can add corrections.');
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  if (!body) throw invalid('Write the correction: what was wrong and what is right.', 'correction');
  if (body.length > CORRECTION_MAX) throw invalid(`A correction has at most ${CORRECTION_MAX} characters.`, 'correction');
  const article = await trx.selectFrom('articles').select(['id', 'slug', 'status']).where('id', '=', input.articleId).executeTakeFirst();
  if (!article) throw notFound('No such article.');
  if (article.status !== 'published') throw new AppError('conflict', 'Corrections are for published articles: edit the article instead.');
  const now = (input.now ?? new Date()).toISOString();
  const row = await trx
    .insertInto('article_corrections')
    .values({ article_id: article.id, body, user_id: actor.userId, actor_name: actor.name, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('articles').set({ updated_at: now, modified_at: now }).where('id', '=', article.id).execute();
  await recordEvent(trx, 'article.corrected', article.id, { slug: article.slug, correctionId: row.id, by: actor.name });
  return { id: row.id, body, actorName: actor.name, createdAt: now };
}

/** Corrections of an article, oldest first (as readers see them). */
export async function listCorrections(db: Executor, articleId: number): Promise<Correction[]> {
  const rows = await runCompiled(
    db,
    'article.corrections',
    (d) =>
      d
        .selectFrom('article_corrections')
        .select(['id', 'body', 'actor_name', 'created_at'])
        .where('article_id', '=', slot<number>(0))
        .orderBy('created_at')
        .orderBy('id'),
    [articleId],
  );
  return rows.map((r) => ({ id: r.id, body: r.body, actorName: r.actor_name, createdAt: r.created_at }));
}
