import { sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import { markdownToText } from '../text/markdown.js';
import { MARK_END, MARK_START } from './search.query.js';

/** The text of one article as the index holds it. */
export interface SearchDocument {
  headline: string;
  standfirst: string;
  body: string;
  tags: string;
  authors: string;
}

// Control characters and the snippet markers never enter the index, so snippets stay clean.
const UNWANTED = new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F${MARK_START}${MARK_END}]`, 'g');
const clean = (text: string) => text.replace(UNWANTED, ' ');

/** Builds the document of an article from the database (headline, standfirst, body text, tags, author names). */
export async function loadDocument(
  trx: Executor,
  articleId: number,
): Promise<{ published: boolean; sectionId: number; doc: SearchDocument } | undefined> {
  const row = await trx
    .selectFrom('articles')
    .select(['status', 'section_id', 'headline', 'standfirst', 'body_md'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [tags, authors] = await Promise.all([
    trx
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', articleId)
      .orderBy('tags.name')
      .execute(),
    trx
      .selectFrom('article_authors')
      .innerJoin('people', 'people.id', 'article_authors.person_id')
      .select('people.name')
      .where('article_authors.article_id', '=', articleId)
      .orderBy('article_authors.position')
      .execute(),
  ]);
  return {
    published: row.status === 'published',
    sectionId: row.section_id,
    doc: {
      headline: clean(row.headline),
      standfirst: clean(row.standfirst),
      body: clean(markdownToText(row.body_md)),
      tags: clean(tags.map((t) => t.name).join(', ')),
      authors: clean(authors.map((a) => a.name).join(', ')),
    },
  };
}

/**
 * Brings the index in step with one article: published articles are (re)indexed, with their
 * section (related articles are ranked within it), anything else is removed. Call it inside the
 * transaction that changed the article.
 */
export async function indexArticle(trx: Executor, articleId: number): Promise<void> {
  const found = await loadDocument(trx, articleId);
  if (dialectOf(trx) === 'postgres') {
    if (!found?.published) {
      await sql`DELETE FROM article_search WHERE article_id = ${articleId}`.execute(trx);
      return;
    }
    const d = found.doc;
    await sql`
      INSERT INTO article_search (article_id, section_id, headline, standfirst, body, tags, authors)
      VALUES (${articleId}, ${found.sectionId}, ${d.headline}, ${d.standfirst}, ${d.body}, ${d.tags}, ${d.authors})
      ON CONFLICT (article_id) DO UPDATE SET section_id = excluded.section_id, headline = excluded.headline,
        standfirst = excluded.standfirst, body = excluded.body, tags = excluded.tags, authors = excluded.authors`.execute(trx);
    return;
  }
  await sql`DELETE FROM article_search WHERE rowid = ${articleId}`.execute(trx);
  if (!found?.published) return;
  const d = found.doc;
  await sql`
    INSERT INTO article_search (rowid, headline, standfirst, body, tags, authors, section)
    VALUES (${articleId}, ${d.headline}, ${d.standfirst}, ${d.body}, ${d.tags}, ${d.authors}, ${found.sectionId})`.execute(trx);
}

/** Re-indexes every article (after renaming tags or people, or to repair the index); returns how many are indexed. */
export async function rebuildSearchIndex(trx: Executor): Promise<number> {
  await sql`DELETE FROM article_search`.execute(trx);
  const rows = await trx.selectFrom('articles').select('id').where('status', '=', 'published').execute();
  for (const r of rows) await indexArticle(trx, r.id);
  return rows.length;
}

/**
 * Merges the SQLite full-text index's segments. Every indexed change adds a small segment and a
 * query reads each one, so an index written an article at a time slowly gets slower to query
 * (four times slower on the demo newsroom before a merge). `pages` bounds the work of one call
 * (a few milliseconds for 64); without it the whole index becomes one segment, which suits the
 * end of a bulk load. PostgreSQL's GIN index needs nothing of the kind.
 */
export async function compactSearchIndex(db: Executor, pages?: number): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  if (pages === undefined) await sql`INSERT INTO article_search (article_search) VALUES ('optimize')`.execute(db);
  else await sql`INSERT INTO article_search (article_search, rank) VALUES ('merge', ${-Math.max(1, Math.floor(pages))})`.execute(db);
}
