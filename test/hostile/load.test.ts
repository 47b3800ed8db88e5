import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { CACHE_ON } from '../cache/cache.helpers.js';
import { makeToken } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

/** Seconds of traffic: short in the suite; GAZETTE_LOAD_SECONDS=60 for the full run. */
const SECONDS = Number(process.env.GAZETTE_LOAD_SECONDS ?? 10);
// Well below what one core serves, so a shared, busy test machine still keeps up.
const READS_PER_SECOND = 20;
const COMMENTS_PER_SECOND = 2;

interface Tally {
  requests: number;
  errors: string[];
  acked: Map<number, string>;
  approved: Set<number>;
}

describe.each(DIALECTS)('mixed traffic at a bounded rate on %s', (dialect) => {
  let t: TestDb;
  let app: FastifyInstance;
  let base: string;
  let token: string;
  const articles: { id: number; url: string }[] = [];
  beforeAll(async () => {
    t = await createTestDb(dialect);
    app = await buildApp({
      db: t.db,
      dialect: t.dialect,
      config: { ...t.config, trustProxy: true },
      logger: false,
      cache: { ...CACHE_ON, pollMs: 250 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (let i = 0; i < 6; i++) {
      articles.push(await makeArticle(t.db, { section: i % 2 ? 'Politics' : 'Sport', authors: ['Ana Ruiz'], tags: ['Budget'] }));
    }
    token = await makeToken(t.db, 'moderator');
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it(`serves readers, commenters and a moderator for ${SECONDS} s with no error and no lost comment`, {
    timeout: (SECONDS + 120) * 1000,
  }, async () => {
    const tally: Tally = { requests: 0, errors: [], acked: new Map(), approved: new Set() };
    const readPaths = [
      '/',
      '/politics',
      '/sport',
      '/author/ana-ruiz',
      '/tag/budget',
      '/search?q=budget',
      '/feed.xml',
      ...articles.map((a) => a.url),
    ];
    const call = async (label: string, url: string, init?: RequestInit) => {
      tally.requests++;
      try {
        const res = await fetch(base + url, { ...init, signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        if (res.status >= 500 || res.status === 429) tally.errors.push(`${label} ${url}: ${res.status}`);
        return { status: res.status, text };
      } catch (error) {
        tally.errors.push(`${label} ${url}: ${(error as Error).message}`);
        return { status: 0, text: '' };
      }
    };
    let n = 0;
    const comment = async () => {
      const i = n++;
      const a = articles[i % articles.length];
      const body = `Load comment ${i} ${dialect}: the council vote deserves scrutiny.`;
      const res = await call('comment', `/api/v1/articles/${a.id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.20.${i >> 8}.${(i & 255) + 1}` },
        body: JSON.stringify({ name: `Load Reader ${i}`, email: `load${i}@example.org`, body }),
      });
      if (res.status === 202) tally.acked.set(JSON.parse(res.text).id, body);
      else tally.errors.push(`comment: ${res.status} ${res.text.slice(0, 100)}`);
    };
    const moderate = async () => {
      const res = await call('queue', '/api/v1/comments?status=pending', { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) return;
      const items = (JSON.parse(res.text).items ?? []) as { id: number }[];
      for (const c of items.slice(0, 5)) {
        const r = await call('approve', `/api/v1/comments/${c.id}/approve`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        if (r.status === 200) tally.approved.add(c.id);
      }
    };
    const inflight = new Set<Promise<unknown>>();
    const launch = (p: Promise<unknown>) => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    };
    const end = Date.now() + SECONDS * 1000;
    let tick = 0;
    while (Date.now() < end) {
      // Every 100 ms: a tenth of a second's reads and comments; the moderator once a second.
      for (let r = 0; r < READS_PER_SECOND / 10; r++) launch(call('read', readPaths[(tick * 7 + r) % readPaths.length]));
      if (tick % Math.round(10 / COMMENTS_PER_SECOND) === 0) launch(comment());
      if (tick % 10 === 5) launch(moderate());
      tick++;
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all([...inflight]);
    await moderate();

    expect(tally.errors).toEqual([]);
    expect(tally.acked.size).toBeGreaterThanOrEqual(Math.min(5, SECONDS));
    const stored = await t.db.selectFrom('comments').select(['id', 'body', 'status']).execute();
    const byId = new Map(stored.map((c) => [c.id, c]));
    expect([...tally.acked].filter(([id, body]) => byId.get(id)?.body !== body)).toEqual([]);
    // What the moderator approved is on the (cached) article pages now.
    await app.pageCache.sync();
    const approved = stored.filter((c) => tally.approved.has(c.id));
    expect(approved.length).toBeGreaterThan(0);
    const pages = await Promise.all(articles.map(async (a) => (await fetch(base + a.url)).text()));
    const shown = approved.filter((c) => pages.some((html) => html.includes(c.body.replace(/'/g, '&#39;')) || html.includes(c.body)));
    expect(shown.length).toBe(approved.length);
  });
});
