import { sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { authorsOf, type Ref } from './article.repo.js';
import { isEditor } from './article.rules.js';
import type { ArticleStatus } from './article.table.js';

export interface NewsroomFilter {
  status?: ArticleStatus;
  sectionId?: number;
  personId?: number;
  /** Words of the headline. */
  q?: string;
  page: number;
}

export interface NewsroomRow {
  id: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  section: Ref;
  authors: Ref[];
  publishedAt: string | null;
  modifiedAt: string;
}

export const NEWSROOM_PAGE = 50;

/** Articles the actor may see in the newsroom, most recently changed first. */
export async function listForNewsroom(db: Executor, actor: Actor, f: NewsroomFilter): Promise<{ rows: NewsroomRow[]; total: number }> {
  let q = db.selectFrom('articles');
  if (!isEditor(actor)) q = q.where('articles.created_by', '=', actor.userId ?? -1);
  // A literal, not a parameter: statuses differ in size by orders of magnitude, and a prepared
  // statement planned once for any status (PostgreSQL) would read the drafts as it reads the archive.
  if (f.status) q = q.where('articles.status', '=', sql.lit(f.status));
  if (f.sectionId !== undefined) q = q.where('articles.section_id', '=', f.sectionId);
  if (f.personId !== undefined) {
    const personId = f.personId;
    q = q.where('articles.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  // LIKE wildcards are dropped from the words, so they match literally on both databases.
  const words = (f.q ?? '')
    .toLowerCase()
    .replace(/[\\%_]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8);
  // SQLite: the words of three letters or more are found through the headlines' trigram index
  // (PostgreSQL's trigram index serves the LIKE below as it is); the LIKE then keeps the exact rule.
  const indexed = words.filter((w) => [...w].length >= 3);
  if (dialectOf(db) === 'sqlite' && indexed.length) {
    const match = indexed.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
    q = q.where('articles.id', 'in', sql<number>`(SELECT rowid FROM article_headlines WHERE article_headlines MATCH ${match})`);
  }
  for (const word of words) q = q.where((eb) => eb(eb.fn('lower', ['articles.headline']), 'like', `%${word}%`));
  const [count, rows] = await Promise.all([
    // Counted from the articles alone (their indexes), without the section of each.
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    // CROSS JOIN keeps articles as SQLite's outer loop, so the newest changes come off an index in
    // that order ((modified_at, id), or (status | section, modified_at, id) when filtered); joined
    // the other way, it sorted every article of every section.
    q
      .crossJoin('sections')
      .whereRef('sections.id', '=', 'articles.section_id')
      .select([
        'articles.id',
        'articles.slug',
        'articles.headline',
        'articles.status',
        'articles.published_at',
        'articles.modified_at',
        'articles.section_id',
        'sections.slug as section_slug',
        'sections.name as section_name',
      ])
      .orderBy('articles.modified_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(NEWSROOM_PAGE)
      .offset((f.page - 1) * NEWSROOM_PAGE)
      .execute(),
  ]);
  const authors = await authorsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      headline: r.headline,
      status: r.status,
      section: { id: r.section_id, slug: r.section_slug, name: r.section_name },
      authors: authors.get(r.id) ?? [],
      publishedAt: r.published_at,
      modifiedAt: r.modified_at,
    })),
  };
}

/** A page of published article ids, newest first, after the cursor (publication time and id of the last one seen). */
export async function publishedPage(
  db: Executor,
  opts: { section?: string; tag?: string; author?: string; after?: { publishedAt: string; id: number }; limit: number },
): Promise<{ ids: number[]; last?: { publishedAt: string; id: number }; more: boolean }> {
  let q = db.selectFrom('articles').select(['articles.id', 'articles.published_at']).where('articles.status', '=', 'published');
  if (opts.section !== undefined) {
    const slug = opts.section;
    q = q.where('articles.section_id', 'in', (eb) => eb.selectFrom('sections').select('id').where('slug', '=', slug));
  }
  if (opts.tag !== undefined) {
    const slug = opts.tag;
    q = q.where('articles.id', 'in', (eb) =>
      eb
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select('article_tags.article_id')
        .where('tags.slug', '=', slug),
    );
  }
  if (opts.author !== undefined) {
    const slug = opts.author;
    q = q.where('articles.id', 'in', (eb) =>
      eb
        .selectFrom('article_authors')
        .innerJoin('people', 'people.id', 'article_authors.person_id')
        .select('article_authors.article_id')
        .where('people.slug', '=', slug),
    );
  }
  if (opts.after) {
    const { publishedAt, id } = opts.after;
    q = q.where((eb) =>
      eb.or([
        eb('articles.published_at', '<', publishedAt),
        eb.and([eb('articles.published_at', '=', publishedAt), eb('articles.id', '<', id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  const tail = page[page.length - 1];
  return {
    ids: page.map((r) => r.id),
    last: tail ? { publishedAt: tail.published_at ?? '', id: tail.id } : undefined,
    more: rows.length > opts.limit,
  };
}
