import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

const run = promisify(execFile);

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within ${ms} ms`);
}

describe.each(DIALECTS)('writes from elsewhere on %s', (dialect) => {
  let h: CachedApp;
  beforeAll(async () => {
    h = await createCachedApp(dialect, { pollMs: 100 });
    await makeArticle(h.t.db, { headline: 'Already There', section: 'Politics' });
  });
  afterAll(() => h.close());

  it('notices `gazette publish` run by another process while serving', async () => {
    await h.app.pageCache.sync();
    await h.app.inject('/');
    expect((await h.app.inject('/')).headers['x-cache']).toBe('HIT');
    const file = join(h.t.dataDir, 'breaking.md');
    writeFileSync(file, '---\nheadline: Breaking From The Command Line\nsection: Politics\nauthors: [Ana Ruiz]\n---\nBody text.\n');
    const env = { ...process.env, GAZETTE_DATA: h.t.dataDir, GAZETTE_SECRET: h.t.config.secret, DATABASE_URL: h.t.databaseUrl ?? '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'publish', file], { env, timeout: 60_000 });
    expect(JSON.parse(stdout.trim()).status).toBe('published');
    await until(async () => (await h.app.inject('/')).body.includes('Breaking From The Command Line'), 3000);
  });
});

describe('instances sharing PostgreSQL and Redis', () => {
  let one: CachedApp;
  let two: CachedApp;
  beforeAll(async () => {
    one = await createCachedApp('postgres', { redisUrl: 'redis://127.0.0.1:6379' });
    // The second instance polls only every minute: only the Redis nudge can make it purge in time.
    two = await createCachedApp('postgres', { redisUrl: 'redis://127.0.0.1:6379', pollMs: 60_000 }, one.t);
    await makeArticle(one.t.db, { headline: 'Shared Lead', section: 'Politics' });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  it('a write answered by one instance purges the other at once', async () => {
    await two.app.pageCache.sync();
    await two.app.inject('/');
    expect((await two.app.inject('/')).headers['x-cache']).toBe('HIT');
    await makeArticle(one.t.db, { headline: 'Told Over Redis', section: 'Politics' });
    await one.app.inject({ method: 'POST', url: '/no-such-endpoint', payload: {} });
    const ms = await until(async () => (await two.app.inject('/')).body.includes('Told Over Redis'), 2000);
    expect(ms).toBeLessThan(2000);
  });
});
