import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/users/session.service.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

describe.each(DIALECTS)('page cache over HTTP on %s', (dialect) => {
  let h: CachedApp;
  let url: string;
  let id: number;
  beforeAll(async () => {
    h = await createCachedApp(dialect);
    const a = await makeArticle(h.t.db, { headline: 'Cache Me If You Can', section: 'Politics', tags: ['Budget'] });
    url = a.url;
    id = a.id;
  });
  afterAll(() => h.close());

  it('renders once, then answers from memory with CDN headers and a strong ETag', async () => {
    const first = await h.app.inject(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await h.app.inject(url);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=600');
    expect(String(second.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining([`article:${id}`, `comments:${id}`]));
    expect(second.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers.vary).toBe('Accept-Encoding');
    expect(second.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers 304 to If-None-Match, in every encoding, and 200 to a stale tag', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const full = await h.app.inject({ url, headers: { 'accept-encoding': encoding } });
      const etag = String(full.headers.etag);
      const again = await h.app.inject({ url, headers: { 'accept-encoding': encoding, 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
    }
    const stale = await h.app.inject({ url, headers: { 'if-none-match': '"nope"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('serves br and gzip bodies that decode to the very same bytes', async () => {
    const plain = await h.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    const br = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gz = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    const refusedBr = await h.app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(refusedBr.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
  });

  it('answers HEAD from memory without a body', async () => {
    await h.app.inject(url);
    const res = await h.app.inject({ method: 'HEAD', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-cache']).toBe('HIT');
    expect(res.body).toBe('');
  });

  it('keeps personal answers private and out of the cache', async () => {
    const session = await h.app.inject({ url, headers: { cookie: `${SESSION_COOKIE}=not-a-real-session` } });
    expect(session.statusCode).toBe(200);
    expect(session.headers['cache-control']).toBe('private, no-store');
    expect(session.headers['x-cache']).toBeUndefined();
    const message = await h.app.inject(`${url}?comment=pending`);
    expect(message.headers['cache-control']).toBe('private, no-store');
    expect(message.headers['x-cache']).toBeUndefined();
    expect(h.app.pageCache.store?.urls().some((u) => u.includes('comment=pending'))).toBe(false);
  });

  it('never caches a 404 and keeps hosts apart', async () => {
    const missing = await h.app.inject('/politics/no-such-article');
    expect(missing.statusCode).toBe(404);
    expect((await h.app.inject('/politics/no-such-article')).headers['x-cache']).toBeUndefined();
    const evil = await h.app.inject({ url, headers: { host: 'evil.example' } });
    expect(evil.headers['x-cache']).toBe('MISS');
    const normal = await h.app.inject(url);
    expect(normal.body).not.toContain('evil.example');
  });

  it('a write through HTTP purges before it answers', async () => {
    await h.app.inject('/');
    expect((await h.app.inject('/')).headers['x-cache']).toBe('HIT');
    const fresh = await makeArticle(h.t.db, { headline: 'A Fresh Story Appears', section: 'Politics' });
    // Any unsafe request reads the events table before answering: its own writes are never served stale.
    await h.app.inject({ method: 'POST', url: '/no-such-endpoint', payload: {} });
    const home = await h.app.inject('/');
    expect(home.headers['x-cache']).toBe('MISS');
    expect(home.body).toContain('A Fresh Story Appears');
    expect(fresh.status).toBe('published');
  });
});
