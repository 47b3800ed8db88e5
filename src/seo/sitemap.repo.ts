import { sql } from 'kysely';
import { listsWithNewest } from '../articles/listing.repo.js';
import { dialectOf } from '../db/dialect.js';
import { type Executor, eventsBetween, latestEventId } from '../events.js';
import type { Variant } from '../media/media.table.js';

export const SITEMAP_PAGE_SIZE = 10_000;
export const NEWS_WINDOW_HOURS = 48;
export const NEWS_MAX = 1000;

export interface SitemapArticle {
  id: number;
  slug: string;
  sectionSlug: string;
  headline: string;
  publishedAt: string;
  /** Set when the published article was changed (see contentModified). */
  updatedAt: string | null;
  /** The last change of any kind, for Last-Modified. */
  modifiedAt: string;
  heroVariants: Variant[];
}

export interface SitemapPlace {
  slug: string;
  lastmod: string | null;
}

const published = (db: Executor) =>
  db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('media', 'media.id', 'articles.hero_media_id')
    .select([
      'articles.id',
      'articles.slug',
      'sections.slug as section_slug',
      'articles.headline',
      'articles.published_at',
      'articles.updated_at',
      'articles.modified_at',
      'media.variants',
    ])
    .where('articles.status', '=', 'published');

const toArticle = (r: {
  id: number;
  slug: string;
  section_slug: string;
  headline: string;
  published_at: string | null;
  updated_at: string | null;
  modified_at: string;
  variants: string | null;
}): SitemapArticle => ({
  id: r.id,
  slug: r.slug,
  sectionSlug: r.section_slug,
  headline: r.headline,
  publishedAt: r.published_at ?? r.modified_at,
  updatedAt: r.updated_at,
  modifiedAt: r.modified_at,
  heroVariants: r.variants ? JSON.parse(r.variants) : [],
});

/**
 * One page of the article sitemap: the published articles with ids in the page's range
 * (page 1: ids 1–10,000). Pages are stable, a primary-key range each, at any depth.
 */
export async function sitemapArticles(db: Executor, page: number): Promise<SitemapArticle[]> {
  const rows = await published(db)
    .where('articles.id', '>', (page - 1) * SITEMAP_PAGE_SIZE)
    .where('articles.id', '<=', page * SITEMAP_PAGE_SIZE)
    .orderBy('articles.id')
    .execute();
  return rows.map(toArticle);
}

type PageList = { page: number; lastmod: string | null }[];

/** The pages' newest changes as last computed, and the newest event then, per database. */
const known = new WeakMap<Executor, { event: number; pages: Map<number, string> }>();
/**
 * Events read again behind the last one seen on PostgreSQL, where an event id can commit after
 * a higher one (SQLite commits them in order): re-reading a short stretch costs one index range.
 */
const RECHECK_EVENTS = 1000;

/**
 * The article sitemap pages that list something, with the newest change on each. The first call
 * groups the `articles_sitemap_dates` index (status, id and the dates) without reading article rows; later
 * calls read the events since and recompute only the pages of the articles they name (a section
 * change, which `demo --scale` records for its bulk load, recomputes all).
 */
export async function articlePages(db: Executor): Promise<PageList> {
  const latest = await latestEventId(db);
  let memo = known.get(db);
  const back = dialectOf(db) === 'postgres' ? RECHECK_EVENTS : 0;
  const events = memo ? await eventsBetween(db, Math.max(0, memo.event - back), latest) : [];
  // A database put back from a backup can have fewer events than were seen: start over.
  if (!memo || latest < memo.event || events.some((e) => e.id > (memo?.event ?? 0) && e.type === 'section.changed')) {
    memo = { event: latest, pages: await allPages(db) };
  } else {
    const dirty = new Set(events.filter((e) => e.type.startsWith('article.') && e.subjectId).map((e) => pageOf(e.subjectId as number)));
    for (const page of dirty) {
      const lastmod = await pageLastmod(db, page);
      if (lastmod) memo.pages.set(page, lastmod);
      else memo.pages.delete(page);
    }
    memo.event = latest;
  }
  known.set(db, memo);
  return [...memo.pages].sort((a, b) => a[0] - b[0]).map(([page, lastmod]) => ({ page, lastmod }));
}

/**
 * When readers last saw an article change, in SQL: `contentModified` (src/seo/date.format.ts) —
 * the update time when after publication, else the publication — so a sitemap's `lastmod` is its
 * newest article's `dateModified`. Read from the `articles_sitemap_dates` index alone.
 */
const SEEN_CHANGE = sql`CASE WHEN updated_at > COALESCE(published_at, modified_at) THEN updated_at ELSE COALESCE(published_at, modified_at) END`;

const pageOf = (articleId: number) => Math.floor((articleId - 1) / SITEMAP_PAGE_SIZE) + 1;

async function allPages(db: Executor): Promise<Map<number, string>> {
  const rows = await sql<{ page: number; lastmod: string }>`
    SELECT (id - 1) / ${sql.lit(SITEMAP_PAGE_SIZE)} + 1 AS page, max(${SEEN_CHANGE}) AS lastmod
    FROM articles WHERE status = 'published'
    GROUP BY 1 ORDER BY 1`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.page), r.lastmod]));
}

async function pageLastmod(db: Executor, page: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('articles')
    .select(sql<string | null>`max(${SEEN_CHANGE})`.as('lastmod'))
    .where('status', '=', 'published')
    .where('id', '>', (page - 1) * SITEMAP_PAGE_SIZE)
    .where('id', '<=', page * SITEMAP_PAGE_SIZE)
    .executeTakeFirst();
  return row?.lastmod ?? undefined;
}

/** Articles first published in the last 48 hours, newest first (Google News sitemap). */
export async function newsArticles(db: Executor, now = new Date()): Promise<SitemapArticle[]> {
  const since = new Date(now.getTime() - NEWS_WINDOW_HOURS * 3600_000).toISOString();
  const rows = await published(db)
    .where('articles.published_at', '>=', since)
    .where('articles.published_at', '<=', now.toISOString())
    .orderBy('articles.published_at', 'desc')
    .limit(NEWS_MAX)
    .execute();
  return rows.map(toArticle);
}

/**
 * Sections, authors or tags that have published articles, with their newest publication: the
 * lists come from the listings (one row per list), so the cost follows the number of sections,
 * authors and tags, not of articles.
 */
export async function sitemapPlaces(db: Executor, kind: 'sections' | 'authors' | 'tags'): Promise<SitemapPlace[]> {
  const lists = await listsWithNewest(db, kind === 'sections' ? 'section' : kind === 'authors' ? 'author' : 'tag');
  if (lists.length === 0) return [];
  const newest = new Map(lists.map((l) => [l.id, l.newest]));
  const ids = [...newest.keys()];
  const rows =
    kind === 'sections'
      ? await db.selectFrom('sections').select(['id', 'slug']).where('id', 'in', ids).orderBy('position').execute()
      : kind === 'authors'
        ? await db.selectFrom('people').select(['id', 'slug']).where('id', 'in', ids).orderBy('slug').execute()
        : await db.selectFrom('tags').select(['id', 'slug']).where('id', 'in', ids).orderBy('slug').execute();
  return rows.map((r) => ({ slug: r.slug, lastmod: newest.get(r.id) ?? null }));
}
