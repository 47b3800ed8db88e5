import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/** Rows SQLite reads per index when it gathers statistics: enough to choose well, quick on any size. */
const ANALYSIS_LIMIT = 400;
/** Words in fewer articles than this are counted when asked (reading so few rows is quick). */
export const COUNTED_FROM = 20;

/**
 * Keeps the query planner's statistics current. SQLite gathers none by itself: without them it
 * guesses from the shape of a query, and on a big database some guesses read every row (the
 * moderation desk's count of reported comments took 0.5 s over a million comments; with statistics,
 * under a millisecond). `PRAGMA optimize` analyses only the tables that changed enough since the
 * last time, reading at most a few hundred rows per index, so it is cheap to run often.
 * PostgreSQL's autovacuum keeps its planner statistics; there the search index's word counts are
 * recomputed instead (`search_terms`; at start only when there are none).
 */
export async function refreshStatistics(db: Kysely<any>, opts: { start?: boolean } = {}): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    if (opts.start && (await sql`SELECT 1 FROM search_terms LIMIT 1`.execute(db)).rows.length) return;
    await refreshTermCounts(db);
    return;
  }
  await sql`PRAGMA analysis_limit = ${sql.raw(String(ANALYSIS_LIMIT))}`.execute(db);
  // 0x10002: every table (not only those this connection used), after checking what changed.
  await sql`PRAGMA optimize = 0x10002`.execute(db);
}

/**
 * How many indexed articles each word is in, from one pass over PostgreSQL's search index
 * (3 s of the database server's time at 100,000 articles). Readers see the previous counts
 * until the new ones are complete.
 */
export async function refreshTermCounts(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM search_terms`.execute(trx);
    await sql`
      INSERT INTO search_terms (lexeme, articles)
      SELECT word, ndoc FROM ts_stat('SELECT document FROM article_search') WHERE ndoc >= ${COUNTED_FROM}`.execute(trx);
  });
}
