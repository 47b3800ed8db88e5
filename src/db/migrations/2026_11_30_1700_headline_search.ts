import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// The newsroom finds articles, drafts included, by any part of a word of their headline
// ("budg" finds "Budget"). A substring cannot use an ordinary index, so every headline was read:
// 115-400 ms at a million articles. SQLite: an FTS5 table of headlines with the trigram tokenizer
// (any three letters in a row are a key), external content read from `articles`, kept in step by
// triggers. PostgreSQL: a trigram index (pg_trgm) on the lower-cased headline, which serves `LIKE
// '%word%'` as it is; where the extension cannot be created (no privilege), the search keeps reading
// every headline.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE NOTICE 'pg_trgm is not available: the newsroom headline search reads every headline';
      END $$`.execute(db);
    await sql`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX articles_headline_trigrams ON articles USING gin (lower(headline) gin_trgm_ops);
        END IF;
      END $$`.execute(db);
    return;
  }
  await sql`
    CREATE VIRTUAL TABLE article_headlines USING fts5(
      headline, content = 'articles', content_rowid = 'id', tokenize = 'trigram'
    )`.execute(db);
  await sql`INSERT INTO article_headlines (article_headlines) VALUES ('rebuild')`.execute(db);
  await sql`
    CREATE TRIGGER article_headlines_on_insert AFTER INSERT ON articles
    BEGIN INSERT INTO article_headlines (rowid, headline) VALUES (new.id, new.headline); END`.execute(db);
  await sql`
    CREATE TRIGGER article_headlines_on_delete AFTER DELETE ON articles
    BEGIN INSERT INTO article_headlines (article_headlines, rowid, headline) VALUES ('delete', old.id, old.headline); END`.execute(db);
  await sql`
    CREATE TRIGGER article_headlines_on_update AFTER UPDATE OF headline ON articles
    BEGIN
      INSERT INTO article_headlines (article_headlines, rowid, headline) VALUES ('delete', old.id, old.headline);
      INSERT INTO article_headlines (rowid, headline) VALUES (new.id, new.headline);
    END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`DROP INDEX IF EXISTS articles_headline_trigrams`.execute(db);
    return;
  }
  for (const trigger of ['article_headlines_on_insert', 'article_headlines_on_delete', 'article_headlines_on_update'])
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  await sql`DROP TABLE IF EXISTS article_headlines`.execute(db);
}
