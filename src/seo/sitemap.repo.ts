import { sql } from 'kysely';
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

/** One page of the article sitemap (pages are stable: ordered by id). */
export async function sitemapArticles(db: Executor, page: number): Promise<SitemapArticle[]> {
  const rows = await published(db)
    .orderBy('articles.id')
    .limit(SITEMAP_PAGE_SIZE)
    .offset((page - 1) * SITEMAP_PAGE_SIZE)
    .execute();
  return rows.map(toArticle);
}

/** How many article sitemap pages there are, with the newest change on each. */
export async function articlePages(db: Executor): Promise<{ page: number; lastmod: string | null }[]> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'published')
    .executeTakeFirst();
  const pages = Math.ceil(Number(row?.n ?? 0) / SITEMAP_PAGE_SIZE);
  const out: { page: number; lastmod: string | null }[] = [];
  for (let page = 1; page <= pages; page++) {
    const r = await sql<{ lastmod: string | null }>`
      SELECT max(modified_at) AS lastmod FROM (
        SELECT modified_at FROM articles WHERE status = 'published' ORDER BY id
        LIMIT ${SITEMAP_PAGE_SIZE} OFFSET ${(page - 1) * SITEMAP_PAGE_SIZE}
      ) chunk`.execute(db);
    out.push({ page, lastmod: r.rows[0]?.lastmod ?? null });
  }
  return out;
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

/** Sections, authors or tags that have published articles, with their newest change. */
export async function sitemapPlaces(db: Executor, kind: 'sections' | 'authors' | 'tags'): Promise<SitemapPlace[]> {
  if (kind === 'sections') {
    return db
      .selectFrom('sections')
      .innerJoin('articles', 'articles.section_id', 'sections.id')
      .select(['sections.slug', (eb) => eb.fn.max('articles.modified_at').as('lastmod')])
      .where('articles.status', '=', 'published')
      .groupBy(['sections.slug', 'sections.position'])
      .orderBy('sections.position')
      .execute();
  }
  if (kind === 'authors') {
    return db
      .selectFrom('people')
      .innerJoin('article_authors', 'article_authors.person_id', 'people.id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select(['people.slug', (eb) => eb.fn.max('articles.modified_at').as('lastmod')])
      .where('articles.status', '=', 'published')
      .groupBy('people.slug')
      .orderBy('people.slug')
      .execute();
  }
  return db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select(['tags.slug', (eb) => eb.fn.max('articles.modified_at').as('lastmod')])
    .where('articles.status', '=', 'published')
    .groupBy('tags.slug')
    .orderBy('tags.slug')
    .execute();
}
