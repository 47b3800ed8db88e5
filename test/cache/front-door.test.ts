import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/users/session.service.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request over a real socket, bytes as sent (no decompression). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers of an answer that say what the page is, leaving out the ones that differ between a render and a hit. */
function pageHeaders(a: Answer) {
  const { date: _d, 'x-cache': _x, 'server-timing': _s, connection: _c, 'keep-alive': _k, ...rest } = a.headers;
  return rest;
}

describe.each(DIALECTS)('the front door on a listening server on %s', (dialect) => {
  let h: CachedApp;
  let port: number;
  let url: string;
  beforeAll(async () => {
    h = await createCachedApp(dialect);
    url = (await makeArticle(h.t.db, { headline: 'Front Door Story', section: 'Politics' })).url;
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(() => h.close());

  it('answers a cached page before Fastify with the same headers and bytes as the render', async () => {
    const store = h.app.pageCache.store;
    if (!store) throw new Error('the page cache is off');
    for (const encoding of ['br', 'gzip', 'identity']) {
      await h.app.pageCache.sync();
      store.purge(['*']);
      const miss = await get(port, url, { 'accept-encoding': encoding });
      const hitsBefore = store.stats.hits;
      const hit = await get(port, url, { 'accept-encoding': encoding });
      expect(miss.headers['x-cache']).toBe('MISS');
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(store.stats.hits).toBe(hitsBefore + 1);
      expect(hit.status).toBe(200);
      expect(pageHeaders(hit)).toEqual(pageHeaders(miss));
      expect(hit.body.equals(miss.body)).toBe(true);
      expect(Number(hit.headers['content-length'])).toBe(hit.body.length);
    }
    const br = await get(port, url, { 'accept-encoding': 'br' });
    const plain = await get(port, url);
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    expect(plain.body.toString()).toContain('Front Door Story');
  });

  it('answers HEAD without a body and If-None-Match with 304', async () => {
    const full = await get(port, url, { 'accept-encoding': 'br' });
    const head = await get(port, url, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    const again = await get(port, url, { 'accept-encoding': 'br', 'if-none-match': String(full.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(full.headers.etag);
  });

  it('lets personal requests, writes and unknown addresses through to the application', async () => {
    await get(port, url);
    const staff = await get(port, url, { cookie: `${SESSION_COOKIE}=whatever` });
    expect(staff.headers['x-cache']).toBeUndefined();
    expect(staff.headers['cache-control']).toBe('private, no-store');
    const token = await get(port, url, { authorization: 'Bearer nope' });
    expect(token.headers['x-cache']).toBeUndefined();
    const post = await get(port, url, {}, 'POST');
    expect(post.status).toBe(404);
    expect(post.headers['x-cache']).toBeUndefined();
    const missing = await get(port, '/politics/no-such-story');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-cache']).toBeUndefined();
  });

  it("keys pages by host: a forged Host header does not get another host's page", async () => {
    await get(port, url);
    const forged = await get(port, url, { host: 'evil.example' });
    expect(forged.headers['x-cache']).toBe('MISS');
    expect(forged.body.toString()).not.toContain(`127.0.0.1:${port}`);
  });
});
