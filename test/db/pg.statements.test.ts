import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { preparingPool } from '../../src/db/pg.statements.js';
import { createTestDb, type TestDb, testPool } from '../helpers/db.js';

type Any = any;

describe('PostgreSQL statements kept prepared per connection', () => {
  let t: TestDb;
  let db: Kysely<Any>;
  beforeAll(async () => {
    t = await createTestDb('postgres');
    // One connection, so that what it has prepared can be read back on it.
    db = new Kysely<Any>({
      dialect: new PostgresDialect({ pool: preparingPool(testPool(t.databaseUrl, 1), 3) }),
    });
    await sql`CREATE TABLE scratch (id integer PRIMARY KEY, label text NOT NULL)`.execute(db);
    await db.insertInto('scratch').values({ id: 1, label: 'one' }).execute();
  });
  afterAll(async () => {
    await db.destroy();
    await t.destroy();
  });

  const prepared = async () =>
    (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

  it('sends each query as a named statement, parsed once and reused', async () => {
    for (let i = 0; i < 3; i++)
      expect(await db.selectFrom('scratch').select('label').where('id', '=', 1).execute()).toEqual([{ label: 'one' }]);
    const statements = await prepared();
    expect(statements.filter((s) => s.includes('from "scratch"'))).toHaveLength(1);
  });

  it('keeps full-text queries and statements past the bound unnamed', async () => {
    await sql`SELECT to_tsvector('english', 'harbor fees') @@ to_tsquery('english', ${'harbor'}) AS hit`.execute(db);
    for (let i = 2; i < 8; i++) await sql`SELECT ${i}::int + id AS n FROM scratch WHERE id = ${1} AND ${sql.lit(i)} > 0`.execute(db);
    const statements = await prepared();
    expect(statements.some((s) => s.includes('@@'))).toBe(false);
    // The bound of this pool is three statements per connection (the pg_prepared_statements query is unnamed past it).
    expect(statements.length).toBe(3);
    expect((await sql<{ n: number }>`SELECT 41 + id AS n FROM scratch WHERE id = ${1}`.execute(db)).rows).toEqual([{ n: 42 }]);
  });

  it('recovers when a table changes under a prepared statement', async () => {
    const fresh = new Kysely<Any>({
      dialect: new PostgresDialect({ pool: preparingPool(testPool(t.databaseUrl, 1)) }),
    });
    try {
      expect(await fresh.selectFrom('scratch').selectAll().execute()).toEqual([{ id: 1, label: 'one' }]);
      await sql`ALTER TABLE scratch ADD COLUMN note text NOT NULL DEFAULT 'n'`.execute(fresh);
      expect(await fresh.selectFrom('scratch').selectAll().execute()).toEqual([{ id: 1, label: 'one', note: 'n' }]);
      expect(await fresh.selectFrom('scratch').selectAll().execute()).toEqual([{ id: 1, label: 'one', note: 'n' }]);
    } finally {
      await fresh.destroy();
    }
  });
});

describe('GAZETTE_PG_PREPARE=off', () => {
  it('sends every query unprepared', async () => {
    const t = await createTestDb('postgres');
    const conn = connect({ databaseUrl: t.databaseUrl, dataDir: t.dataDir, pgPrepare: false });
    try {
      for (let i = 0; i < 3; i++) await conn.db.selectFrom('sections').select('id').where('id', '=', i).execute();
      const rows = (await sql<{ n: number }>`SELECT count(*) AS n FROM pg_prepared_statements`.execute(conn.db)).rows;
      expect(Number(rows[0].n)).toBe(0);
    } finally {
      await conn.close();
      await t.destroy();
    }
  });
});
