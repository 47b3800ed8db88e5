import type { Kysely } from 'kysely';
import { shows } from '../cache/keys.js';
import { noteKeys } from '../cache/tracker.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import type { RevisionAuthor } from '../revisions/revision.service.js';
import { relatedFromIndex } from '../search/search.related.js';
import { type ArticleCard, type ArticleView, cardsInOrder, latestForRanking } from './article.repo.js';
import type { ArticleStatus } from './article.table.js';
import { type ArticleValues, storeArticle, valuesOf } from './article.writer.js';
import { listStamp } from './listing.repo.js';
import { rankRelated } from './related.js';
import { type RelatedIds, recallRelated, relatedKey, rememberRelated } from './related.memo.js';

export interface ArticleInput extends ArticleValues {
  authorIds: number[];
  tagIds: number[];
  /** Whom the revision names: `gazette publish` unless said otherwise (the demo loader). */
  by?: RevisionAuthor;
}

export interface SaveResult {
  id: number;
  status: ArticleStatus;
  created: boolean;
}

/**
 * Creates the article with this slug, or updates it when the slug exists (`gazette publish`,
 * the demo loader): the writer records the revision and the event. Changing a published article
 * sets "updated".
 */
export async function saveArticle(trx: Executor, input: ArticleInput, now = new Date()): Promise<SaveResult> {
  const current = await trx.selectFrom('articles').selectAll().where('slug', '=', input.slug).executeTakeFirst();
  const { by, authorIds, tagIds, ...values } = input;
  const stored = await storeArticle(trx, { current, values, authorIds, tagIds, now }, { kind: 'publish', by });
  return { id: stored.id, status: stored.status, created: stored.created };
}

/** Publishes every scheduled article whose time has come, each as a write of its own; returns their ids. */
export async function publishDue(db: Kysely<Database>, now = new Date()): Promise<number[]> {
  const due = await db
    .selectFrom('articles')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now.toISOString())
    .execute();
  const ids: number[] = [];
  for (const { id } of due) {
    const published = await db
      .transaction()
      .execute(async (trx) => {
        const current = await trx.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
        if (current?.status !== 'scheduled') return false;
        const values = { ...valuesOf(current), status: 'published' as const };
        await storeArticle(trx, { current, values, now }, { kind: 'scheduler' });
        return true;
      })
      // Published (or changed) by someone else meanwhile.
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'conflict') return false;
        throw error;
      });
    if (published) ids.push(id);
  }
  return ids;
}

/** How many related articles are kept beyond those shown, in case some are unpublished meanwhile. */
const RELATED_SPARE = 4;

/**
 * "More in {Section}": up to `limit` other articles of the section, most related first. The
 * search index ranks the section's articles against this article's most distinctive terms; when
 * it finds too few, the newest of the section fill the list, ordered by shared tags and words.
 * The ranking is kept while the article and its section's list are unchanged (related.memo.ts).
 */
export async function relatedArticles(db: Executor, article: ArticleView, limit = 4): Promise<ArticleCard[]> {
  const key = relatedKey(article, await listStamp(db, { kind: 'section', id: article.section.id }));
  let found = recallRelated(db, article.id, key);
  if (!found) {
    found = await findRelated(db, article, limit, limit + RELATED_SPARE);
    rememberRelated(db, article.id, key, found);
  }
  if (found.fromSection) noteKeys(...shows.list({ sectionId: article.section.id }));
  return cardsInOrder(db, found.ids, limit);
}

async function findRelated(db: Executor, article: ArticleView, enough: number, count: number): Promise<RelatedIds> {
  const found = await relatedFromIndex(db, article, count);
  if (found.length >= enough) return { ids: found, fromSection: false };
  const candidates = await latestForRanking(db, {
    sectionId: article.section.id,
    excludeIds: [article.id, ...found],
    limit: 60,
  });
  const order = rankRelated(
    { text: `${article.headline} ${article.standfirst}`, tagIds: article.tags.map((t) => t.id) },
    candidates.map((c) => ({ id: c.id, publishedAt: c.publishedAt, text: `${c.headline} ${c.standfirst}`, tagIds: c.tagIds })),
  );
  return { ids: [...found, ...order.slice(0, count - found.length)], fromSection: true };
}
