import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Related articles weigh each of an article's words by how many articles use it. SQLite's index
// answers that from a word's list of articles; PostgreSQL's GIN index cannot count without reading
// every matching row (a common word: 50-200 ms at 100,000 articles). `search_terms` holds, for
// PostgreSQL, how many indexed articles each word (as the index stems it) is in, for the words in
// at least a few of them; it is recomputed from the index in the background (src/db/statistics.ts).
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`CREATE TABLE search_terms (lexeme text PRIMARY KEY, articles integer NOT NULL)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`DROP TABLE IF EXISTS search_terms`.execute(db);
}
