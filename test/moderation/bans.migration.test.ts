import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeBan } from '../../src/comments/comment.repo.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

const NAME = '2026_12_06_1010_comment_bans';
const names = Object.keys(migrations).sort();
const BEFORE = names[names.indexOf(NAME) - 1];

describe.each(DIALECTS)('migration %s on existing bans', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('keeps email bans without an end, ends old address bans a day after they were set, and allows a ban again', async () => {
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    await sql`INSERT INTO comment_bans (kind, value_hash, reason, created_at) VALUES
      ('email', 'e1', 'old abuse', ${old}), ('ip', 'i1', 'old abuse', ${old}), ('ip', 'i2', 'recent abuse', ${recent})`.execute(t.db);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const rows = await t.db.selectFrom('comment_bans').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.kind, r.value_hash, r.reason, r.lifted_at, r.created_by_name])).toEqual([
      ['email', 'e1', 'old abuse', null, ''],
      ['ip', 'i1', 'old abuse', null, ''],
      ['ip', 'i2', 'recent abuse', null, ''],
    ]);
    expect(rows[0].expires_at).toBeNull();
    expect(Date.parse(rows[1].expires_at ?? '')).toBe(Date.parse(old) + 86_400_000);
    expect(Date.parse(rows[2].expires_at ?? '')).toBe(Date.parse(recent) + 86_400_000);

    const now = new Date().toISOString();
    expect(await activeBan(t.db, 'e1', 'nobody', now)).toEqual({ kind: 'email', expires_at: null });
    expect(await activeBan(t.db, 'nobody', 'i1', now)).toBeUndefined();
    expect(await activeBan(t.db, 'nobody', 'i2', now)).toMatchObject({ kind: 'ip' });
    // The email ban wins over an address ban when both apply.
    expect(await activeBan(t.db, 'e1', 'i2', now)).toMatchObject({ kind: 'email' });

    // (kind, value_hash) is no longer unique: a lifted ban stays as history beside a new one.
    await t.db
      .insertInto('comment_bans')
      .values({ kind: 'email', value_hash: 'e1', reason: 'again', created_at: now, expires_at: null, created_by_name: 'Mod' } as never)
      .execute();
    const ids = await t.db.selectFrom('comment_bans').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(ids.id).toBeGreaterThan(rows[2].id);
  });
});
