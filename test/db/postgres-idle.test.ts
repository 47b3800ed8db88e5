import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, PG_ADMIN_URL, type TestDb } from '../helpers/db.js';

describe('a PostgreSQL connection ended by the server', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('postgres');
  });
  afterAll(() => t.destroy());

  it('is replaced on the next query instead of stopping the process', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t.db);
      const pid = before.rows[0].pid;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      // The idle connection's end reaches the pool as an error event, which is handled.
      for (let i = 0; i < 50 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(warnings.some((w) => w.includes('PostgreSQL closed an idle connection'))).toBe(true);
      const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t.db);
      expect(after.rows[0].pid).not.toBe(pid);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
