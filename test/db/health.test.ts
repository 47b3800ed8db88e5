import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkSecret, secretFingerprint } from '../../src/ops/fingerprint.js';
import { healthOf } from '../../src/ops/health.js';
import { explainStartError } from '../../src/ops/start.errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

describe('a full disk', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await sql`create table filler (body text)`.execute(h.t.db);
  });
  afterAll(() => h.close());

  it('makes /healthz answer 503 "disk full" until a write succeeds again', async () => {
    const changes: boolean[] = [];
    healthOf(h.t.db).onChange((state) => changes.push(state.diskFull));
    expect((await h.app.inject('/healthz')).statusCode).toBe(200);
    // The database may not grow by a page: as on a disk with no room left.
    const pages = h.t.sqlite!.pragma('page_count', { simple: true }) as number;
    h.t.sqlite!.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(200_000);
    await expect(sql`insert into filler (body) values (${big})`.execute(h.t.db)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    const full = await h.app.inject('/healthz');
    expect(full.statusCode).toBe(503);
    expect(full.json()).toEqual({ status: 'unavailable', reason: 'disk full' });
    expect(full.headers['cache-control']).toBe('no-store');
    // Reading still works, and does not clear it: only a write shows there is room.
    await sql`select count(*) from filler`.execute(h.t.db);
    expect((await h.app.inject('/healthz')).statusCode).toBe(503);
    h.t.sqlite!.pragma(`max_page_count = ${pages * 1000}`);
    await sql`insert into filler (body) values (${big})`.execute(h.t.db);
    const again = await h.app.inject('/healthz');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'ok' });
    expect(changes).toEqual([true, false]);
  });

  it('is named as such when a start fails on it', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(explainStartError(error, {})).toBe('disk full: ENOSPC: no space left on device, write');
  });
});

describe.each(DIALECTS)('the secret fingerprint on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('is stored on first start, accepted again, and refuses another secret unless told it changed', async () => {
    expect(await checkSecret(t.db, 'first-secret')).toBe('stored');
    expect(await checkSecret(t.db, 'first-secret')).toBe('same');
    const stored = await sql<{ fingerprint: string }>`select fingerprint from secret_fingerprint`.execute(t.db);
    expect(stored.rows).toEqual([{ fingerprint: secretFingerprint('first-secret') }]);
    expect(stored.rows[0].fingerprint).not.toContain('first-secret');
    await expect(checkSecret(t.db, 'second-secret')).rejects.toBeInstanceOf(ConfigError);
    await expect(checkSecret(t.db, 'second-secret')).rejects.toThrow('GAZETTE_SECRET_CHANGED=yes');
    expect(await checkSecret(t.db, 'second-secret', { accept: true })).toBe('replaced');
    expect(await checkSecret(t.db, 'second-secret')).toBe('same');
    await expect(checkSecret(t.db, 'first-secret')).rejects.toThrow('GAZETTE_SECRET differs');
  });
});

describe('instance settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) => loadConfig({ GAZETTE_DATA: dir, GAZETTE_SECRET: 's', ...env }, false);

  it('GAZETTE_ROLE, GAZETTE_PG_POOL and GAZETTE_SECRET_CHANGED: defaults, values and clear errors', () => {
    expect(load({})).toMatchObject({ role: 'all', pgPool: 10, secretChanged: false });
    expect(load({ GAZETTE_ROLE: 'Worker', GAZETTE_PG_POOL: '3', GAZETTE_SECRET_CHANGED: 'yes' })).toMatchObject({
      role: 'worker',
      pgPool: 3,
      secretChanged: true,
    });
    expect(load({ GAZETTE_ROLE: 'web' }).role).toBe('web');
    expect(() => load({ GAZETTE_ROLE: 'both' })).toThrow('GAZETTE_ROLE must be "web", "worker" or "all", got "both"');
    expect(() => load({ GAZETTE_PG_POOL: '0' })).toThrow('GAZETTE_PG_POOL must be a whole number from 1 to 1000');
    expect(() => load({ GAZETTE_PG_POOL: 'many' })).toThrow(ConfigError);
  });
});
