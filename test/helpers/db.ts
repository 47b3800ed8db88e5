import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import type { DialectName } from '../../src/db/dialect.js';
import { migrate } from '../../src/db/migrate.js';

/** Both databases every storage and HTTP test runs on. */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb extends Db {
  config: Config;
  dataDir: string;
  databaseUrl?: string;
  /** Closes the connection, drops the database (PostgreSQL) and removes the data folder. */
  destroy(): Promise<void>;
}

export function testConfig(dataDir: string, databaseUrl?: string): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl,
    redisUrl: undefined,
    demo: false,
    secret: 'test-secret-0123456789abcdef',
    trustProxy: false,
    schedulerInterval: 200,
    logLevel: 'silent',
    logFormat: 'json',
    workers: 1,
    pgPrepare: true,
  };
}

/**
 * A connection pool of a test's own. `pool.end()` resolves before its connections are closed, so
 * the `DROP DATABASE ... WITH (FORCE)` that follows may still end one of them: the pool then emits
 * an error, which with no listener would stop the test process. That end is expected here.
 */
export function testPool(connectionString: string | undefined, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  return pool;
}

/** A fresh, migrated database of the given kind: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDb(dialect: DialectName): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gazette-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (dialect === 'postgres') {
    dbName = `gazette_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const config = testConfig(dataDir, databaseUrl);
  const conn = connect(config);
  await migrate(conn.db);
  return {
    ...conn,
    config,
    dataDir,
    databaseUrl,
    async destroy() {
      await conn.close();
      if (dbName) {
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
