import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/** Rows SQLite reads per index when it gathers statistics: enough to choose well, quick on any size. */
const ANALYSIS_LIMIT = 400;

/**
 * Keeps the query planner's statistics current. SQLite gathers none by itself: without them it
 * guesses from the shape of a query, and on a big database some guesses read every row (the
 * moderation desk's count of reported comments took 0.5 s over a million comments; with statistics,
 * under a millisecond). `PRAGMA optimize` analyses only the tables that changed enough since the
 * last time, reading at most a few hundred rows per index, so it is cheap to run often.
 * PostgreSQL's autovacuum does the same there; nothing to do.
 */
export async function refreshStatistics(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`PRAGMA analysis_limit = ${sql.raw(String(ANALYSIS_LIMIT))}`.execute(db);
  // 0x10002: every table (not only those this connection used), after checking what changed.
  await sql`PRAGMA optimize = 0x10002`.execute(db);
}
