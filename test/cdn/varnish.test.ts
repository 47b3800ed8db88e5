import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connect } from '../../src/db/connect.js';
import { recordEvent } from '../../src/events.js';
import { settingsForm } from '../../src/newsroom/site-settings.js';
import { CACHE_ON } from '../cache/cache.helpers.js';
import { loginAs, makeToken } from '../helpers/auth.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, shippedVcl, startVarnish, type Varnish } from './varnish.helpers.js';

/** Polls `check` every 50 ms for up to `ms`; true once it held. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Varnish (docs/varnish.vcl) in front of two instances on one PostgreSQL database', () => {
  let t: TestDb;
  let second: ReturnType<typeof connect>;
  let one: FastifyInstance;
  let two: FastifyInstance;
  let origins: string[];
  let varnish: Varnish;
  let token: string;
  const via = (path: string, init?: RequestInit) => fetch(varnish.url + path, init);

  /** Both instances hold the page in memory and Varnish holds it too (a hit). */
  async function cachedEverywhere(path: string) {
    for (const origin of origins) for (let i = 0; i < 2; i++) expect((await fetch(origin + path)).status).toBe(200);
    expect(await within(2000, async () => (await via(path)).headers.get('x-varnish-cache') === 'HIT')).toBe(true);
  }

  beforeAll(async () => {
    t = await createTestDb('postgres');
    second = connect(t.config);
    const port = await freePort();
    process.env.GAZETTE_CDN_PURGE_URL = `http://127.0.0.1:${port}`;
    try {
      const cache = { ...CACHE_ON, pollMs: 250 };
      one = await buildApp({ db: t.db, dialect: t.dialect, config: t.config, logger: false, cache });
      two = await buildApp({ db: second.db, dialect: second.dialect, config: t.config, logger: false, cache });
    } finally {
      delete process.env.GAZETTE_CDN_PURGE_URL;
    }
    origins = [];
    for (const app of [one, two]) origins.push(await app.listen({ port: 0, host: '127.0.0.1' }));
    const ports = origins.map((o) => Number(new URL(o).port)) as [number, number];
    varnish = await startVarnish(port, shippedVcl(ports));
    token = await makeToken(t.db, 'editor');
    // The first article makes its section and author: a purge of everything, done before the tests.
    await makeArticle(t.db, { headline: 'Opening Story' });
    await one.pageCache.sync();
    await two.pageCache.sync();
  });

  afterAll(async () => {
    await varnish?.stop();
    await one?.close();
    await two?.close();
    await second?.close();
    await t?.destroy();
  });

  it('keeps an article page and answers it from its cache', async () => {
    const a = await makeArticle(t.db, { headline: 'Harbour Reopens' });
    const path = `/politics/${a.slug}`;
    const first = await via(path);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Harbour Reopens');
    // (The purges of this new article's own events may still drop the first copy: ask until a hit.)
    let again = await via(path);
    expect(
      await within(2000, async () => {
        again = await via(path);
        return again.headers.get('x-varnish-cache') === 'HIT';
      }),
    ).toBe(true);
    // A hit names two transactions: this one and the one that fetched the object.
    expect(again.headers.get('x-varnish')).toMatch(/^\d+ \d+$/);
    expect(again.headers.get('age')).toMatch(/^\d+$/);
    expect(again.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    // The keys are for Varnish, not for readers.
    expect(again.headers.get('xkey')).toBeNull();
  });

  it('shows an edit made through one instance within a second', async () => {
    const a = await makeArticle(t.db, { headline: 'Bridge Vote Delayed' });
    const path = `/politics/${a.slug}`;
    await cachedEverywhere(path);
    const res = await fetch(`${origins[0]}/api/v1/articles/${a.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ headline: 'Bridge Vote Held After All' }),
    });
    expect(res.status).toBe(200);
    const fresh = async () => (await (await via(path)).text()).includes('Bridge Vote Held After All');
    expect(await within(1000, fresh)).toBe(true);
    // And it stays fresh: no stale copy came back from the other instance.
    await new Promise((r) => setTimeout(r, 400));
    expect(await fresh()).toBe(true);
  });

  it('shows an approved comment within a second', async () => {
    const a = await makeArticle(t.db, { headline: 'Library Hours Extended' });
    const path = `/politics/${a.slug}`;
    const comment = await t.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('comments')
        .values({
          article_id: a.id,
          depth: 0,
          name: 'Reader',
          body: 'Finally open on Sundays.',
          body_hash: 'sundays',
          status: 'pending',
          reasons: '[]',
          source: 'api',
          open_reports: 0,
          created_at: new Date().toISOString(),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordEvent(trx, 'comment.submitted', row.id, { articleId: a.id, status: 'pending' });
      return row;
    });
    await cachedEverywhere(path);
    expect(await (await via(path)).text()).not.toContain('Finally open on Sundays.');
    const res = await fetch(`${origins[1]}/api/v1/comments/${comment.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await within(1000, async () => (await (await via(path)).text()).includes('Finally open on Sundays.'))).toBe(true);
  });

  it('stops serving an unpublished article within a second', async () => {
    const a = await makeArticle(t.db, { headline: 'Mayor Resigns' });
    const path = `/politics/${a.slug}`;
    await cachedEverywhere(path);
    const res = await fetch(`${origins[0]}/api/v1/articles/${a.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'unpublished' }),
    });
    expect(res.status).toBe(200);
    expect(await within(1000, async () => (await via(path)).status !== 200)).toBe(true);
    const gone = await via(path);
    expect(await gone.text()).not.toContain('Mayor Resigns');
  });

  it('shows a changed site setting on every page within a second', async () => {
    const a = await makeArticle(t.db, { headline: 'Ferry Timetable Changes' });
    const path = `/politics/${a.slug}`;
    await cachedEverywhere(path);
    await cachedEverywhere('/');
    const admin = await loginAs(one, t.db, 'admin');
    const form = { ...settingsForm(await one.gazette.settings()), siteName: 'The Harbour Gazette' };
    const res = await one.inject({
      method: 'POST',
      url: '/admin/settings',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...form, _csrf: admin.csrf }).toString(),
    });
    expect(res.statusCode).toBe(303);
    for (const page of [path, '/']) {
      expect(await within(1000, async () => (await (await via(page)).text()).includes('The Harbour Gazette'))).toBe(true);
    }
  });

  it('keeps a missing page for a few seconds only', async () => {
    const res = await via('/politics/no-such-story-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('public, max-age=10');
    const again = await via('/politics/no-such-story-here');
    expect(again.headers.get('x-varnish-cache')).toBe('HIT');
  });

  it('passes staff and writes through', async () => {
    const admin = await loginAs(one, t.db, 'admin');
    for (let i = 0; i < 2; i++) {
      const res = await via('/admin', { headers: { cookie: admin.cookie }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-varnish-cache')).toBe('MISS');
      expect(res.headers.get('cache-control')).toContain('no-store');
    }
  });
});
