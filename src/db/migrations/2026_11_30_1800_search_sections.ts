import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// The search index learns each article's section. Related articles are the best matches within
// the article's own section; the index ranked every match in the archive first and kept the
// section's afterwards, so most of the ranking work went to other sections' articles, and a
// section's good matches could fall outside the ranked few. With the section in the index, only
// the section's matches are read and ranked.
//
// SQLite: FTS5 tables cannot gain a column, so the index is built again with a `section` column
// (the section id as a token; searches name the text columns, so it never matches a reader's
// words). PostgreSQL: a `section_id` column and, where the btree_gin extension can be created, one
// GIN index over (section_id, document), which also serves searches of the whole index, in place
// of the index over the document alone. Either way every indexed article is written once and the
// full-text index built again: 13 s per 100,000 articles on SQLite, 26 s on PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE article_search ADD COLUMN section_id integer`.execute(db);
    // Every row is written again: without the full-text index meanwhile, which is built once after.
    await sql`DROP INDEX article_search_document`.execute(db);
    await sql`UPDATE article_search s SET section_id = a.section_id FROM articles a WHERE a.id = s.article_id`.execute(db);
    // Only published articles are indexed, and every article has a section.
    await sql`DELETE FROM article_search WHERE section_id IS NULL`.execute(db);
    await sql`ALTER TABLE article_search ALTER COLUMN section_id SET NOT NULL`.execute(db);
    await sql`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS btree_gin;
      EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE NOTICE 'btree_gin is not available: related articles filter the section after the index';
      END $$`.execute(db);
    await sql`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
          CREATE INDEX article_search_section_document ON article_search USING gin (section_id, document);
        ELSE
          CREATE INDEX article_search_document ON article_search USING gin (document);
        END IF;
      END $$`.execute(db);
    return;
  }
  await sql`DROP TRIGGER IF EXISTS article_search_on_delete`.execute(db);
  await sql`
    CREATE VIRTUAL TABLE article_search_next USING fts5(
      headline, standfirst, body, tags, authors, section,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`
    INSERT INTO article_search_next (rowid, headline, standfirst, body, tags, authors, section)
    SELECT s.rowid, s.headline, s.standfirst, s.body, s.tags, s.authors, a.section_id
    FROM article_search s JOIN articles a ON a.id = s.rowid`.execute(db);
  await sql`DROP TABLE article_search`.execute(db);
  await sql`ALTER TABLE article_search_next RENAME TO article_search`.execute(db);
  await sql`INSERT INTO article_search (article_search) VALUES ('optimize')`.execute(db);
  await sql`
    CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles
    BEGIN DELETE FROM article_search WHERE rowid = old.id; END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE INDEX IF NOT EXISTS article_search_document ON article_search USING gin (document)`.execute(db);
    await sql`DROP INDEX IF EXISTS article_search_section_document`.execute(db);
    await sql`ALTER TABLE article_search DROP COLUMN IF EXISTS section_id`.execute(db);
    return;
  }
  await sql`DROP TRIGGER IF EXISTS article_search_on_delete`.execute(db);
  await sql`
    CREATE VIRTUAL TABLE article_search_prev USING fts5(
      headline, standfirst, body, tags, authors,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`
    INSERT INTO article_search_prev (rowid, headline, standfirst, body, tags, authors)
    SELECT rowid, headline, standfirst, body, tags, authors FROM article_search`.execute(db);
  await sql`DROP TABLE article_search`.execute(db);
  await sql`ALTER TABLE article_search_prev RENAME TO article_search`.execute(db);
  await sql`
    CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles
    BEGIN DELETE FROM article_search WHERE rowid = old.id; END`.execute(db);
}
