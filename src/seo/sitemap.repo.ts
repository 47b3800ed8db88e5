import { sql } from 'kysely';
import { listsWithNewest } from '../articles/listing.repo.js';
import type { Executor } from '../events.js';
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
  modified_at: string;
  variants: string | null;
}): SitemapArticle => ({
  id: r.id,
  slug: r.slug,
  sectionSlug: r.section_slug,
  headline: r.headline,
  publishedAt: r.published_at ?? r.modified_at,
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

/**
 * The article sitemap pages that list something, with the newest change on each: one pass
 * over the `articles_sitemap` index (status, id, modified_at), no article rows read.
 */
export async function articlePages(db: Executor): Promise<{ page: number; lastmod: string | null }[]> {
  const rows = await sql<{ page: number; lastmod: string | null }>`
    SELECT (id - 1) / ${sql.lit(SITEMAP_PAGE_SIZE)} + 1 AS page, max(modified_at) AS lastmod
    FROM articles WHERE status = 'published'
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.rows.map((r) => ({ page: Number(r.page), lastmod: r.lastmod }));
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
