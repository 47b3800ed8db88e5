import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type * as Pg from 'pg';
import { lazy } from '../lazy.js';
import { observedDialect } from '../ops/health.driver.js';
import { attachHealth, DbHealth } from '../ops/health.js';
import type { Database } from './database.js';
import type { DialectName } from './dialect.js';
import { preparingPool } from './pg.statements.js';

/** Warned once a second at most: a restart ends every connection at once. */
let lostWarnedAt = 0;
function lostConnection(error: Error): void {
  if (Date.now() - lostWarnedAt < 1000) return;
  lostWarnedAt = Date.now();
  process.emitWarning(`PostgreSQL ended a connection in use: ${error.message}`, { code: 'GAZETTE_PG_LOST' });
}

export interface Db {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw SQLite handle (for PRAGMAs and the online backup API); undefined on PostgreSQL. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// The PostgreSQL client is loaded only when DATABASE_URL asks for it.
const pgModule = lazy<typeof Pg>('pg');
let pgReady = false;

function pg(): typeof Pg {
  const m = pgModule();
  if (!pgReady) {
    // PostgreSQL's bigint (count(*), bigserial) arrives as a string by default; our ids and counts fit in a double.
    m.types.setTypeParser(20, (v) => Number(v));
    pgReady = true;
  }
  return m;
}

export interface ConnectOptions {
  databaseUrl?: string;
  dataDir: string;
  pgPrepare?: boolean;
  /** PostgreSQL connections this process keeps at most (GAZETTE_PG_POOL). */
  pgPool?: number;
}

/** Connects to SQLite or PostgreSQL; every query's outcome feeds the connection's health (src/ops/health.ts). */
export function connect(options: ConnectOptions): Db {
  const health = new DbHealth();
  const conn = open(options, health);
  attachHealth(conn.db, health);
  return conn;
}

function open(options: ConnectOptions, health: DbHealth): Db {
  if (options.databaseUrl) {
    // Connections are kept five minutes when idle (the driver's default is ten seconds): a new
    // server process plans its first queries slowly while it fills its catalog caches.
    // A connection attempt gives up after a few seconds (a database that is away answers the
    // request at hand with an error instead of holding it).
    const pool = new (pg().Pool)({
      connectionString: options.databaseUrl,
      max: options.pgPool ?? 10,
      idleTimeoutMillis: 300_000,
      connectionTimeoutMillis: 5_000,
    });
    // An idle connection the server ends (a restart, an administrator, a dropped database) is
    // reported here; the pool replaces it on the next query. Unhandled, it would stop the process.
    pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, { code: 'GAZETTE_PG_IDLE' });
    });
    // The same for a connection in use between two queries (a transaction waiting on other work):
    // its next query fails and the pool drops it when it is released.
    pool.on('connect', (client) => client.on('error', (error) => lostConnection(error)));
    // Prepared statements (src/db/pg.statements.ts) unless turned off for a pooler that cannot keep them.
    const dialect = new PostgresDialect({ pool: options.pgPrepare === false ? pool : preparingPool(pool) });
    const db = new Kysely<Database>({ dialect: observedDialect(dialect, health) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new SQLite(join(options.dataDir, 'gazette.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: observedDialect(new SqliteDialect({ database: withStatementCache(sqlite) }), health) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. Statements
 * are reused by their SQL text (bounded; schema changes are handled by SQLite re-preparing).
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = sqlite.prepare(sqlText);
        if (!/^\s*(select|insert|update|delete|with)\b/i.test(sqlText)) return stmt;
        if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}
