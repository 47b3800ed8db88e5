import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { type TestDb, testPool } from '../helpers/db.js';

export interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

/** The application on a second connection that records every query it runs. */
export async function recordingApp(t: TestDb): Promise<{ app: FastifyInstance; queries: Captured[]; close(): Promise<void> }> {
  const queries: Captured[] = [];
  const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
    if (event.level === 'query') queries.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  const pool = t.databaseUrl ? testPool(t.databaseUrl, 2) : undefined;
  const db = pool
    ? new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log })
    : new Kysely<Database>({ dialect: new SqliteDialect({ database: t.sqlite as never }), log });
  const app = await buildApp({ db, dialect: t.dialect, config: t.config, logger: false });
  await app.ready();
  return {
    app,
    queries,
    async close() {
      await app.close();
      if (pool) await pool.end();
    },
  };
}

/** The tables that grow with the publication; reading one of them whole is a scale bug. */
export const BIG_TABLES = ['articles', 'comments', 'article_authors', 'article_tags', 'events', 'commenters', 'comment_reports'];

/** Lines of the query plan that read a big table without an index. */
export async function fullScans(t: TestDb, q: Captured): Promise<string[]> {
  if (t.sqlite) {
    const rows = t.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[];
    return rows.map((r) => r.detail).filter((d) => BIG_TABLES.some((tb) => new RegExp(`^SCAN ${tb}( |$)(?!.*INDEX)`).test(d)));
  }
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    // Tiny test tables make a sequential scan cheapest; forbid it to learn whether an index can serve.
    await client.query('SET enable_seqscan = off');
    const params = q.parameters.map((p) => p as never);
    const res = await client.query(`EXPLAIN ${q.sql}`, params);
    return res.rows
      .map((r) => String(r['QUERY PLAN']))
      .filter((line) => BIG_TABLES.some((tb) => new RegExp(`Seq Scan on ${tb}( |$)`).test(line.trim())));
  } finally {
    await client.end();
  }
}

/** The distinct SELECT statements among the captured queries, first occurrence of each. */
export function selectsOf(queries: Captured[]): Map<string, Captured> {
  const seen = new Map<string, Captured>();
  for (const q of queries) if (/^\s*select/i.test(q.sql) && !seen.has(q.sql)) seen.set(q.sql, q);
  return seen;
}

/** Each statement that reads a big table whole, with the plan lines that do. */
export async function scanProblems(t: TestDb, statements: Iterable<Captured>): Promise<string[]> {
  const problems: string[] = [];
  for (const q of statements) {
    const scans = await fullScans(t, q);
    if (scans.length) problems.push(`${scans.join('; ')}  ←  ${q.sql}`);
  }
  return problems;
}
