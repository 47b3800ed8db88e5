import type { Kysely } from 'kysely';
import { shows } from '../cache/keys.js';
import { noteKeys } from '../cache/tracker.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { followArticle } from '../redirects/redirect.service.js';
import { baselineOf, type RevisionAuthor, recordRevision, SYSTEM_AUTHORS } from '../revisions/revision.service.js';
import { indexArticle } from '../search/search.index.js';
import { relatedFromIndex } from '../search/search.related.js';
import { setArticleTags } from '../tags/tag.service.js';
import { renderMarkdown } from '../text/markdown.js';
import { countWords } from '../text/reading.js';
import { type ArticleCard, type ArticleView, cardsInOrder, latestForRanking } from './article.repo.js';
import type { ArticleStatus } from './article.table.js';
import { listStamp } from './listing.repo.js';
import { rankRelated } from './related.js';
import { type RelatedIds, recallRelated, relatedKey, rememberRelated } from './related.memo.js';

export interface ArticleInput {
  slug: string;
  headline: string;
  standfirst: string;
  sectionId: number;
  authorIds: number[];
  tagIds: number[];
  bodyMd: string;
  status: ArticleStatus;
  publishedAt: string | null;
  commentsOpen: boolean;
  heroMediaId: number | null;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
  /** Whom the revision names: `gazette publish` unless said otherwise (the demo loader). */
  by?: RevisionAuthor;
}

export interface SaveResult {
  id: number;
  status: ArticleStatus;
  created: boolean;
}

/**
 * Creates the article with this slug, or updates it when the slug exists, and records what
 * happened as a revision and an event in the same transaction. Changing a published article
 * sets "updated".
 */
export async function saveArticle(trx: Executor, input: ArticleInput, now = new Date()): Promise<SaveResult> {
  const nowIso = now.toISOString();
  const existing = await trx
    .selectFrom('articles')
    .select(['id', 'status', 'published_at', 'section_id'])
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  const values = {
    slug: input.slug,
    section_id: input.sectionId,
    headline: input.headline,
    standfirst: input.standfirst,
    body_md: input.bodyMd,
    body_html: renderMarkdown(input.bodyMd),
    word_count: countWords(input.bodyMd),
    status: input.status,
    published_at: input.publishedAt,
    comments_open: input.commentsOpen ? 1 : 0,
    hero_media_id: input.heroMediaId,
    hero_alt: input.heroAlt,
    hero_caption: input.heroCaption,
    hero_credit: input.heroCredit,
    modified_at: nowIso,
  };
  // An article with no history yet keeps its state from before this update as revision 1.
  const before = existing ? await baselineOf(trx, existing.id) : undefined;
  let id: number;
  if (existing) {
    id = existing.id;
    const wasLive = existing.status === 'published';
    const stillLive = input.status === 'published';
    await trx
      .updateTable('articles')
      .set({ ...values, ...(wasLive && stillLive ? { updated_at: nowIso } : {}) })
      .where('id', '=', id)
      .execute();
  } else {
    const row = await trx
      .insertInto('articles')
      .values({ ...values, updated_at: null, created_at: nowIso })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  await setArticleAuthors(trx, id, input.authorIds);
  await setArticleTags(trx, id, input.tagIds);
  await indexArticle(trx, id);
  await followArticle(trx, {
    articleId: id,
    before: existing && { sectionId: existing.section_id, slug: input.slug, status: existing.status },
    after: { sectionId: input.sectionId, slug: input.slug, status: input.status },
    now,
  });
  const wasLive = existing?.status === 'published';
  const type =
    input.status === 'published'
      ? wasLive
        ? 'article.updated'
        : 'article.published'
      : input.status === 'scheduled'
        ? 'article.scheduled'
        : input.status === 'unpublished' && wasLive
          ? 'article.unpublished'
          : 'article.saved';
  const note = !existing && type === 'article.saved' ? 'Created' : SAVE_NOTES[type];
  await recordRevision(trx, { articleId: id, actor: input.by ?? SYSTEM_AUTHORS.publish, note, now, before });
  await recordEvent(trx, type, id, { slug: input.slug, status: input.status });
  return { id, status: input.status, created: !existing };
}

const SAVE_NOTES = {
  'article.published': 'Published',
  'article.updated': 'Updated',
  'article.scheduled': 'Scheduled',
  'article.unpublished': 'Unpublished',
  'article.saved': 'Saved',
} as const;

/** Publishes every scheduled article whose time has come; returns their ids. */
export async function publishDue(db: Kysely<Database>, now = new Date()): Promise<number[]> {
  const due = await db
    .selectFrom('articles')
    .select(['id', 'slug'])
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now.toISOString())
    .execute();
  const ids: number[] = [];
  for (const article of due) {
    const published = await db.transaction().execute(async (trx) => {
      const before = await baselineOf(trx, article.id);
      const result = await trx
        .updateTable('articles')
        .set({ status: 'published', modified_at: now.toISOString() })
        .where('id', '=', article.id)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await indexArticle(trx, article.id);
      await recordRevision(trx, { articleId: article.id, actor: SYSTEM_AUTHORS.scheduler, note: 'Published on schedule', now, before });
      await recordEvent(trx, 'article.published', article.id, { slug: article.slug, scheduled: true });
      return true;
    });
    if (published) ids.push(article.id);
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

/** Replaces an article's byline, keeping the order given (duplicates dropped). */
export async function setArticleAuthors(trx: Executor, articleId: number, personIds: number[]): Promise<void> {
  await trx.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  const unique = [...new Set(personIds)];
  if (unique.length) {
    await trx
      .insertInto('article_authors')
      // In id order, as every writer takes the list counters' row locks (see the listings migration).
      .values(
        unique.map((person_id, position) => ({ article_id: articleId, person_id, position })).sort((a, b) => a.person_id - b.person_id),
      )
      .execute();
  }
}
