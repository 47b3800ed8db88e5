import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { createTestDb, PG_ADMIN_URL, type TestDb } from '../helpers/db.js';

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query('select pg_terminate_backend($1)', [pid]);
  await admin.end();
}

describe.each([true, false])('PostgreSQL connections (prepared statements %s)', (pgPrepare) => {
  let t: TestDb;
  let conn: Db;
  beforeAll(async () => {
    t = await createTestDb('postgres');
    conn = connect({ ...t.config, pgPrepare, pgPool: 2 });
  });
  afterAll(async () => {
    await conn.close();
    await t.destroy();
  });

  it('a connection ended while in use (inside a transaction, between queries) fails that work only', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const work = conn.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await terminate(rows[0].pid);
        // The connection is checked out and idle here: its end arrives as an 'error' event.
        await new Promise((r) => setTimeout(r, 300));
        await sql`select 1`.execute(trx);
      });
      await expect(work).rejects.toThrow();
      expect(warnings.some((w) => w.includes('PostgreSQL ended a connection in use'))).toBe(true);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(conn.db);
      expect(rows[0].one).toBe(1);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps at most GAZETTE_PG_POOL connections', async () => {
    const pids = await Promise.all(
      [1, 2, 3, 4, 5].map(
        async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(conn.db)).rows[0].pid,
      ),
    );
    expect(new Set(pids).size).toBeLessThanOrEqual(2);
  });
});
