import { shows } from '../cache/keys.js';
import { noteKeys } from '../cache/tracker.js';
import { runCompiled, slot, slots } from '../db/compiled.js';
import type { Executor } from '../events.js';
import { findMediaByIds, type MediaView } from '../media/media.service.js';
import type { ArticleRow } from './article.table.js';

export interface Ref {
  id: number;
  slug: string;
  name: string;
}

export interface ArticleCard {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  publishedAt: string;
  updatedAt: string | null;
  wordCount: number;
  section: Ref;
  authors: Ref[];
  hero: (MediaView & { alt: string }) | null;
}

export interface ArticleView extends ArticleCard {
  status: ArticleRow['status'];
  bodyHtml: string;
  bodyMd: string;
  commentsOpen: boolean;
  tags: Ref[];
  heroCaption: string;
  heroCredit: string;
}

export const cardColumns = [
  'articles.id',
  'articles.slug',
  'articles.headline',
  'articles.standfirst',
  'articles.published_at',
  'articles.updated_at',
  'articles.word_count',
  'articles.hero_media_id',
  'articles.hero_alt',
  'articles.section_id',
  'sections.slug as section_slug',
  'sections.name as section_name',
] as const;

export type CardRow = {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  published_at: string | null;
  updated_at: string | null;
  word_count: number;
  hero_media_id: number | null;
  hero_alt: string;
  section_id: number;
  section_slug: string;
  section_name: string;
};

/** Rows of (article, person or tag) as each article's list, in the rows' order. */
function byArticle(rows: { article_id: number; id: number; slug: string; name: string }[]): Map<number, Ref[]> {
  const map = new Map<number, Ref[]>();
  for (const r of rows) {
    const list = map.get(r.article_id) ?? [];
    list.push({ id: r.id, slug: r.slug, name: r.name });
    map.set(r.article_id, list);
  }
  return map;
}

export async function authorsOf(db: Executor, articleIds: number[]): Promise<Map<number, Ref[]>> {
  if (articleIds.length === 0) return new Map();
  const rows = await runCompiled(
    db,
    `article.authors:${articleIds.length}`,
    (d) =>
      d
        .selectFrom('article_authors')
        .innerJoin('people', 'people.id', 'article_authors.person_id')
        .select(['article_authors.article_id', 'people.id', 'people.slug', 'people.name'])
        .where('article_authors.article_id', 'in', slots<number>(articleIds.length))
        .orderBy('article_authors.article_id')
        .orderBy('article_authors.position'),
    articleIds,
  );
  return byArticle(rows);
}

export async function tagsOf(db: Executor, articleIds: number[]): Promise<Map<number, Ref[]>> {
  if (articleIds.length === 0) return new Map();
  const rows = await runCompiled(
    db,
    `article.tags:${articleIds.length}`,
    (d) =>
      d
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select(['article_tags.article_id', 'tags.id', 'tags.slug', 'tags.name'])
        .where('article_tags.article_id', 'in', slots<number>(articleIds.length))
        .orderBy('tags.name'),
    articleIds,
  );
  return byArticle(rows);
}

/** Rows selected with `cardColumns` → cards with authors and hero images, in the same order. */
export async function toCards(db: Executor, rows: CardRow[]): Promise<ArticleCard[]> {
  const ids = rows.map((r) => r.id);
  const [authors, media] = await Promise.all([
    authorsOf(db, ids),
    findMediaByIds(
      db,
      rows.map((r) => r.hero_media_id).filter((x): x is number => x !== null),
    ),
  ]);
  const cards = rows.map((r) => {
    const m = r.hero_media_id ? media.get(r.hero_media_id) : undefined;
    return {
      id: r.id,
      slug: r.slug,
      headline: r.headline,
      standfirst: r.standfirst,
      publishedAt: r.published_at ?? '',
      updatedAt: r.updated_at,
      wordCount: r.word_count,
      section: { id: r.section_id, slug: r.section_slug, name: r.section_name },
      authors: authors.get(r.id) ?? [],
      hero: m ? { ...m, alt: r.hero_alt } : null,
    };
  });
  noteKeys(...shows.cards(cards));
  return cards;
}

/** The cards of several lists in one round of bylines and images, list by list. */
export async function toCardLists(db: Executor, lists: CardRow[][]): Promise<ArticleCard[][]> {
  const cards = await toCards(db, lists.flat());
  let next = 0;
  return lists.map((rows) => {
    const start = next;
    next += rows.length;
    return cards.slice(start, next);
  });
}

/** The cards of these articles, in the order given (any that is no longer published is left out), at most `limit`. */
export async function cardsInOrder(db: Executor, ids: number[], limit = ids.length): Promise<ArticleCard[]> {
  if (ids.length === 0) return [];
  // The status is checked here rather than in SQL: a condition on it would tempt SQLite into
  // walking the status index (every published article) instead of fetching these few by id.
  const rows = await runCompiled(
    db,
    `article.cards:${ids.length}`,
    (d) =>
      d
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select([...cardColumns, 'articles.status'])
        .where('articles.id', 'in', slots<number>(ids.length)),
    ids,
  );
  const byId = new Map(rows.filter((r) => r.status === 'published').map((r) => [r.id, r as CardRow]));
  return toCards(db, ids.flatMap((id) => byId.get(id) ?? []).slice(0, limit));
}

type ListFilter = { sectionId?: number; personId?: number; tagId?: number };

/**
 * Published articles (with their section), narrowed by a filter. An author's or a tag's articles
 * are found from the link table first (CROSS JOIN keeps SQLite from reordering), so the work
 * grows with that author's or tag's articles, not with the whole archive.
 */
function publishedFrom(db: Executor, opts: ListFilter) {
  const base =
    opts.personId !== undefined
      ? db
          .selectFrom('article_authors as link')
          .crossJoin('articles')
          .whereRef('articles.id', '=', 'link.article_id')
          .where('link.person_id', '=', opts.personId)
      : opts.tagId !== undefined
        ? db
            .selectFrom('article_tags as link')
            .crossJoin('articles')
            .whereRef('articles.id', '=', 'link.article_id')
            .where('link.tag_id', '=', opts.tagId)
        : db.selectFrom('articles');
  let q = (base as ReturnType<typeof db.selectFrom<'articles'>>).where('articles.status', '=', 'published');
  if (opts.sectionId !== undefined) q = q.where('articles.section_id', '=', opts.sectionId);
  if (opts.personId !== undefined && opts.tagId !== undefined) {
    const tagId = opts.tagId;
    q = q.where('articles.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  return q;
}

type NewestFilter = ListFilter & { excludeIds?: number[]; limit: number };

/** The newest published articles of a list (the page then shows that list: its key is noted). */
function newestPublished(db: Executor, opts: NewestFilter) {
  let q = publishedFrom(db, opts);
  if (opts.excludeIds?.length) q = q.where('articles.id', 'not in', opts.excludeIds);
  noteKeys(...shows.list(opts));
  return q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(opts.limit);
}

/** Published articles, newest first. Filters narrow to one section, author or tag. */
export async function listPublished(db: Executor, opts: NewestFilter): Promise<ArticleCard[]> {
  return toCards(db, await listPublishedRows(db, opts));
}

/**
 * The newest published articles of each of these sections (`limit` each, less `excludeIds`), in
 * one statement: the front page's lists cost one round instead of one per section. Rows come back
 * grouped by section, in the order given, newest first within each.
 */
export async function newestOfSections(
  db: Executor,
  sectionIds: number[],
  opts: { excludeIds?: number[]; limit: number },
): Promise<CardRow[][]> {
  if (sectionIds.length === 0) return [];
  const arm = (sectionId: number) => db.selectFrom(newestCardRows(db, { sectionId, ...opts }).as('newest')).selectAll();
  let q = arm(sectionIds[0]);
  for (const id of sectionIds.slice(1)) q = q.unionAll(arm(id));
  const rows = (await q.execute()) as CardRow[];
  // Each list in its own order whatever order the database returned the union in.
  const newestFirst = (a: CardRow, b: CardRow) => {
    const [x, y] = [a.published_at ?? '', b.published_at ?? ''];
    return x === y ? b.id - a.id : x < y ? 1 : -1;
  };
  return sectionIds.map((id) => rows.filter((r) => r.section_id === id).sort(newestFirst));
}

/** The rows of `listPublished`, for a page that makes the cards of several lists at once (one `toCards`). */
export async function listPublishedRows(db: Executor, opts: NewestFilter): Promise<CardRow[]> {
  return (await newestCardRows(db, opts).execute()) as CardRow[];
}

/** The query of a list's newest articles with the columns of their cards. */
function newestCardRows(db: Executor, opts: NewestFilter) {
  return newestPublished(db, opts).innerJoin('sections', 'sections.id', 'articles.section_id').select(cardColumns);
}

/** The newest published articles of a list as ranking needs them: id, headline, standfirst, time and tag ids (no cards). */
export async function latestForRanking(
  db: Executor,
  opts: NewestFilter,
): Promise<{ id: number; headline: string; standfirst: string; publishedAt: string; tagIds: number[] }[]> {
  const rows = await newestPublished(db, opts)
    .select(['articles.id', 'articles.headline', 'articles.standfirst', 'articles.published_at'])
    .execute();
  const tags = await tagsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    headline: r.headline,
    standfirst: r.standfirst,
    publishedAt: r.published_at ?? '',
    tagIds: (tags.get(r.id) ?? []).map((t) => t.id),
  }));
}

async function toView(db: Executor, row: ArticleRow & { section_slug: string; section_name: string }): Promise<ArticleView> {
  const [[card], tags] = await Promise.all([toCards(db, [row as unknown as CardRow]), tagsOf(db, [row.id])]);
  return {
    ...card,
    status: row.status,
    bodyHtml: row.body_html,
    bodyMd: row.body_md,
    commentsOpen: row.comments_open === 1,
    tags: tags.get(row.id) ?? [],
    heroCaption: row.hero_caption,
    heroCredit: row.hero_credit,
  };
}

function articleQuery(db: Executor) {
  return db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .selectAll('articles')
    .select(['sections.slug as section_slug', 'sections.name as section_name']);
}

/** A published article at /{section}/{slug}, or undefined (drafts and scheduled articles are not public). */
export async function findPublished(db: Executor, sectionSlug: string, slug: string): Promise<ArticleView | undefined> {
  const [row] = await runCompiled(
    db,
    'article.published',
    (d) =>
      articleQuery(d)
        .where('articles.slug', '=', slot<string>(0))
        .where('sections.slug', '=', slot<string>(1))
        .where('articles.status', '=', 'published'),
    [slug, sectionSlug],
  );
  if (row) noteKeys(...shows.article(row.id));
  return row ? toView(db, row) : undefined;
}

export async function findArticleById(db: Executor, id: number): Promise<ArticleView | undefined> {
  const row = await articleQuery(db).where('articles.id', '=', id).executeTakeFirst();
  return row ? toView(db, row) : undefined;
}

/** What taking a comment needs of an article: whether it is public and open, and its address. No body, no cards. */
export interface CommentTarget {
  id: number;
  slug: string;
  status: ArticleRow['status'];
  commentsOpen: boolean;
  publishedAt: string;
  section: { slug: string };
}

export async function findCommentTarget(db: Executor, id: number): Promise<CommentTarget | undefined> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.status',
      'articles.comments_open',
      'articles.published_at',
      'sections.slug as section_slug',
    ])
    .where('articles.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    commentsOpen: row.comments_open === 1,
    publishedAt: row.published_at ?? '',
    section: { slug: row.section_slug },
  };
}

export async function findArticleBySlug(db: Executor, slug: string): Promise<ArticleView | undefined> {
  const row = await articleQuery(db).where('articles.slug', '=', slug).executeTakeFirst();
  return row ? toView(db, row) : undefined;
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
