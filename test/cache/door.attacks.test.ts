import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { pageCacheConfig } from '../../src/cache/cache.config.js';
import { MAX_QUEUED_PER_CONNECTION, RenderBuckets } from '../../src/cache/render.limit.js';
import { hasBareLineFeed } from '../../src/cache/socket.door.js';
import { loginAs } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { CACHE_ON } from './cache.helpers.js';
import { rawExchange, rawGet } from './door.helpers.js';

const LIMIT = 30;

describe('render buckets', () => {
  it('allow the limit at once, refill over the window and name the wait', () => {
    const b = new RenderBuckets(3, 3000);
    const t = 1_000_000;
    expect([b.take('a', t), b.take('a', t), b.take('a', t)]).toEqual([0, 0, 0]);
    expect(b.take('a', t)).toBe(1);
    expect(b.take('b', t)).toBe(0);
    expect(b.take('a', t + 1000)).toBe(0);
    expect(b.take('a', t + 1000)).toBeGreaterThan(0);
    expect(b.stats).toEqual({ allowed: 5, refused: 2 });
  });

  it('are set by GAZETTE_RENDER_LIMIT', () => {
    expect(pageCacheConfig({}).renderLimit).toEqual({ renders: 30, windowMs: 10_000 });
    expect(pageCacheConfig({ GAZETTE_RENDER_LIMIT: '60' }).renderLimit).toEqual({ renders: 60, windowMs: 10_000 });
    expect(pageCacheConfig({ GAZETTE_RENDER_LIMIT: '100/60' }).renderLimit).toEqual({ renders: 100, windowMs: 60_000 });
    expect(pageCacheConfig({ GAZETTE_RENDER_LIMIT: 'off' }).renderLimit).toBeUndefined();
    expect(pageCacheConfig({ GAZETTE_RENDER_LIMIT: '0' }).renderLimit).toBeUndefined();
    for (const bad of ['-1', '30/0', 'lots', '1e3']) {
      expect(() => pageCacheConfig({ GAZETTE_RENDER_LIMIT: bad })).toThrow(/GAZETTE_RENDER_LIMIT/);
    }
  });

  it('finds bare line feeds, and only those', () => {
    expect(hasBareLineFeed(Buffer.from('GET / HTTP/1.1\nHost: x'))).toBe(true);
    expect(hasBareLineFeed(Buffer.from('\n'))).toBe(true);
    expect(hasBareLineFeed(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'))).toBe(false);
    expect(hasBareLineFeed(Buffer.from('GET / HTTP/1.1\r'))).toBe(false);
  });
});

describe.each(DIALECTS)('the request path under attack on %s', (dialect) => {
  let t: TestDb;
  let app: FastifyInstance;
  let port: number;
  let url: string;
  /** Requests that reached a route handler: the renders. */
  let renders = 0;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    // Behind a proxy: each test speaks for a reader of its own with X-Forwarded-For.
    app = await buildApp({
      db: t.db,
      dialect: t.dialect,
      config: { ...t.config, trustProxy: true },
      logger: false,
      // A window of an hour: no token comes back while the test runs.
      cache: { ...CACHE_ON, renderLimit: { renders: LIMIT, windowMs: 3_600_000 } },
    });
    app.addHook('preHandler', async (request) => {
      if (request.method === 'GET') renders++;
    });
    url = (await makeArticle(t.db, { headline: 'Door story', section: 'Politics' })).url;
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    await app.pageCache.sync();
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it('answers a request with bare LF line endings 400 at once and closes', async () => {
    // Asked for two answers, so that the read goes on until the server closes.
    const bare = await rawExchange(port, 'GET / HTTP/1.1\nHost: x\n\n', 2);
    expect(bare.answers[0]?.status).toBe(400);
    expect(bare.closed).toBe(true);
    // After a page the door answered itself, on the same connection.
    await rawExchange(port, rawGet(url, '198.51.100.1'), 1);
    const after = await rawExchange(port, `${rawGet(url, '198.51.100.1')}GET / HTTP/1.1\nHost: x\n\n`, 2);
    expect(after.answers.map((a) => a.status)).toEqual([200, 400]);
    expect(after.answers[0].head).toMatch(/x-cache: HIT/i);
  });

  it('does not render 400 pipelined distinct requests of one connection that reads nothing', async () => {
    const before = renders;
    const burst = Array.from({ length: 400 }, (_, i) => rawGet(`/search?q=word${i}`, '203.0.113.7')).join('');
    const { answers, closed } = await rawExchange(port, burst, 400);
    const rendered = renders - before;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThanOrEqual(MAX_QUEUED_PER_CONNECTION);
    expect(closed).toBe(true);
    expect(answers.length).toBeLessThan(400);
    expect(answers.filter((a) => a.status === 200).length).toBe(rendered);
    for (const a of answers) expect([200, 429]).toContain(a.status);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.head).toMatch(/\r\nretry-after: 1/i);
    expect(refused?.head).toMatch(/\r\nconnection: close/i);
  });

  it('answers a few pipelined requests as before, on a connection that stays open', async () => {
    const paths = ['/search?q=alpha', '/search?q=beta', url];
    const { answers, closed } = await rawExchange(port, paths.map((p) => rawGet(p, '203.0.113.8')).join(''), 3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(closed).toBe(false);
  });

  it('limits the renders of one address to the limit, with Retry-After and a short page; hits and others go on', async () => {
    const from = '192.0.2.44';
    const get = (path: string, remoteAddress = from, headers: Record<string, string> = {}) =>
      app.inject({ url: path, remoteAddress, headers });
    // The page as injected requests ask for it (their host is localhost:80), stored for another reader.
    expect((await get(url, '192.0.2.99')).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await get(`/search?q=limit${i}`)).statusCode);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(5).fill(429)]);
    const refused = await get('/search?q=one-more');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['cache-control']).toBe('private, no-store');
    expect(refused.body).toContain('Too many requests');
    expect(refused.body.length).toBeLessThan(1000);
    // A page in the cache is no render: still answered.
    const hit = await get(url);
    expect(hit.statusCode).toBe(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    // Another reader is not affected, nor are files, nor a forged session cookie let through.
    expect((await get('/search?q=other', '192.0.2.45')).statusCode).toBe(200);
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/search?q=forged', from, { cookie: 'gz_session=forged' })).statusCode).toBe(429);
  });

  it('does not count staff', async () => {
    const staff = await loginAs(app, t.db, 'editor');
    const from = '192.0.2.60';
    for (let i = 0; i < LIMIT + 5; i++) {
      const res = await app.inject({ url: `/search?q=staff${i}`, remoteAddress: from, headers: { cookie: staff.cookie } });
      expect(res.statusCode).toBe(200);
    }
  });
});
