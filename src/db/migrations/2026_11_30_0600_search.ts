import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// The full-text index of published articles. SQLite: an FTS5 table keyed by the article id
// (rowid), Porter-stemmed, ranked with bm25. PostgreSQL: a table with a weighted tsvector
// (headline A, standfirst and tags B, authors and body C/D) kept by a generated column, with a GIN
// index. The application writes the rows in the same transaction as each publish, update and
// unpublish; deleting an article removes its row (foreign key on PostgreSQL, trigger on SQLite).
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`
      CREATE TABLE article_search (
        article_id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        headline text NOT NULL,
        standfirst text NOT NULL,
        body text NOT NULL,
        tags text NOT NULL,
        authors text NOT NULL,
        document tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', headline), 'A') ||
          setweight(to_tsvector('english', standfirst), 'B') ||
          setweight(to_tsvector('english', tags), 'B') ||
          setweight(to_tsvector('english', authors), 'C') ||
          setweight(to_tsvector('english', body), 'D')
        ) STORED
      )`.execute(db);
    await sql`CREATE INDEX article_search_document ON article_search USING gin (document)`.execute(db);
  } else {
    await sql`
      CREATE VIRTUAL TABLE article_search USING fts5(
        headline, standfirst, body, tags, authors,
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`.execute(db);
    await sql`
      CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles
      BEGIN DELETE FROM article_search WHERE rowid = old.id; END`.execute(db);
  }
  await backfill(db);
}

// Articles published before this migration: plain text from the stored HTML (self-contained, so
// the migration never changes with application code; the next save re-indexes from Markdown).
async function backfill(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'headline', 'standfirst', 'body_html'])
    .where('status', '=', 'published')
    .execute();
  for (const r of rows) {
    const tags = await db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', r.id)
      .execute();
    const authors = await db
      .selectFrom('article_authors')
      .innerJoin('people', 'people.id', 'article_authors.person_id')
      .select('people.name')
      .where('article_authors.article_id', '=', r.id)
      .execute();
    const body = String(r.body_html)
      .replace(/<[^>]*>/g, ' ')
      .replace(/&[a-z#0-9]+;/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const values = {
      headline: r.headline,
      standfirst: r.standfirst,
      body,
      tags: tags.map((t: any) => t.name).join(' '),
      authors: authors.map((a: any) => a.name).join(' '),
    };
    await db
      .insertInto('article_search')
      .values(pg ? { article_id: r.id, ...values } : { rowid: r.id, ...values })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') await sql`DROP TRIGGER IF EXISTS article_search_on_delete`.execute(db);
  await sql`DROP TABLE IF EXISTS article_search`.execute(db);
}
