import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/cache/hit.http.js';
import { type CachedApp, createCachedApp } from '../cache/cache.helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { makeArticle } from '../helpers/factories.js';

type Headers = Record<string, string>;

/** The identity, br and gzip answers of one URL; each encoded body decodes to the identity bytes. */
async function variants(app: FastifyInstance, url: string, headers: Headers = {}) {
  const get = (encoding: string) => app.inject({ url, headers: { ...headers, 'accept-encoding': encoding } });
  const [plain, br, gz] = [await get('identity'), await get('gzip, deflate, br'), await get('gzip')];
  return { plain, br, gz };
}

describe('compression of answers the page cache does not keep (sqlite)', () => {
  let h: TestApp;
  let articleUrl: string;
  let staff: string;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    for (let i = 0; i < 4; i++) {
      const a = await makeArticle(h.t.db, { headline: `Harbour ferry fares rise ${i}`, section: 'Politics' });
      articleUrl = a.url;
    }
    staff = (await loginAs(h.app, h.t.db, 'admin')).cookie;
  });
  afterAll(() => h.close());

  const cases: [string, string, Headers, RegExp][] = [
    ['search page', '/search?q=ferry', {}, /^text\/html/],
    ['404 page', '/no/such/page/here', { accept: 'text/html' }, /^text\/html/],
    ['JSON API answer', '/api/v1/search?q=ferry', {}, /^application\/json/],
  ];
  it.each(cases)('a %s over 1 KB is br or gzip encoded as asked, decoding to the identity bytes', async (_name, url, headers, type) => {
    const { plain, br, gz } = await variants(h.app, url, headers);
    expect(plain.headers['content-type']).toMatch(type);
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.statusCode).toBe(plain.statusCode);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
    expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);
    for (const res of [plain, br, gz]) expect(String(res.headers.vary)).toMatch(/Accept-Encoding/);
    // The security headers are still there.
    expect(br.headers['x-content-type-options']).toBe('nosniff');
  });

  it('compresses a newsroom page for a signed-in editor', async () => {
    const { plain, br, gz } = await variants(h.app, '/admin', { cookie: staff });
    expect(plain.statusCode).toBe(200);
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    expect(plain.headers['cache-control']).toBe('private, no-store');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('does not compress an answer to a request another site sent with cookies', async () => {
    const res = await h.app.inject({
      url: '/admin',
      headers: { cookie: staff, 'accept-encoding': 'br, gzip', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toContain('<html');
  });

  it('respects q=0 and identity', async () => {
    const url = '/search?q=ferry';
    const ask = (encoding: string) => h.app.inject({ url, headers: { 'accept-encoding': encoding } });
    expect((await ask('br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await ask('gzip;q=0, br;q=0.5')).headers['content-encoding']).toBe('br');
    const none = await ask('br;q=0, gzip;q=0, identity');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body).toContain('fares rise 0');
    expect((await ask('*;q=0')).headers['content-encoding']).toBeUndefined();
  });

  it('serves built assets precompressed, honouring q=0, without compressing them again', async () => {
    const page = await h.app.inject('/search');
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)![1];
    const plain = await h.app.inject({ url: css, headers: { 'accept-encoding': 'identity' } });
    const gz = await h.app.inject({ url: css, headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    const br = await h.app.inject({ url: css, headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(br.headers.vary).toBe('Accept-Encoding');
  });

  it('leaves small answers and HEAD answers alone', async () => {
    const small = await h.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ status: 'ok' });
    const head = await h.app.inject({ method: 'HEAD', url: '/search?q=ferry', headers: { 'accept-encoding': 'br, gzip' } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body).toBe('');
  });

  it('gives a compressed article page (page cache off) its own ETag, and still answers 304 to it', async () => {
    const { plain, br, gz } = await variants(h.app, articleUrl);
    const base = etagOf(plain.rawPayload);
    expect(plain.headers.etag).toBe(base);
    expect(br.headers.etag).toBe(`${base.slice(0, -1)}-br"`);
    expect(gz.headers.etag).toBe(`${base.slice(0, -1)}-gz"`);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    const again = await h.app.inject({ url: articleUrl, headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('compression beside the page cache (sqlite)', () => {
  let h: CachedApp;
  let url: string;
  beforeAll(async () => {
    h = await createCachedApp('sqlite');
    url = (await makeArticle(h.t.db, { headline: 'Stored once, compressed once' })).url;
  });
  afterAll(() => h.close());

  it('a stored page is compressed once: the render and the hit send the same bytes and ETag', async () => {
    const miss = await h.app.inject({ url, headers: { 'accept-encoding': 'br' } });
    expect(miss.headers['x-cache']).toBe('MISS');
    const hit = await h.app.inject({ url, headers: { 'accept-encoding': 'br' } });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(miss.rawPayload.equals(hit.rawPayload)).toBe(true);
    expect(miss.headers.etag).toBe(hit.headers.etag);
    expect(miss.headers.vary).toBe('Accept-Encoding');
    const plain = await h.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    // The cache kept the identity body: one decoding gives it back.
    expect(brotliDecompressSync(miss.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(plain.headers.etag).toBe(etagOf(plain.rawPayload));
    expect(h.app.pageCache.store?.get(`http://localhost:80${url}`)?.body?.equals(plain.rawPayload)).toBe(true);
  });
});

describe('the rendered body, kept only once a client asks for it (sqlite)', () => {
  let h: CachedApp;
  let url: string;
  let key: string;
  beforeAll(async () => {
    h = await createCachedApp('sqlite');
    url = (await makeArticle(h.t.db, { headline: 'Kept compressed until asked plainly' })).url;
    key = `http://localhost:80${url}`;
  });
  afterAll(() => h.close());

  it('stores a page a browser asked for as brotli and gzip only; a plain client gets the rendered bytes, kept from then on', async () => {
    const store = h.app.pageCache.store;
    if (!store) throw new Error('no page cache');
    const browser = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(browser.headers['x-cache']).toBe('MISS');
    const stored = store.peek(key);
    expect(stored?.body).toBeUndefined();
    const rendered = brotliDecompressSync(browser.rawPayload);
    const before = store.bytes;
    // Counted: the two compressed bodies, far less than the rendered one beside them.
    expect(before).toBeLessThan(rendered.length);

    const head = await h.app.inject({ method: 'HEAD', url });
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.headers['content-length']).toBe(String(rendered.length));
    const plain = await h.app.inject({ url });
    expect(plain.headers['x-cache']).toBe('HIT');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(rendered)).toBe(true);
    expect(plain.headers.etag).toBe(etagOf(rendered));
    expect(plain.headers['content-length']).toBe(String(rendered.length));
    // From the first plain hit on, the rendered body is kept, and counted.
    expect(store.peek(key)?.body?.equals(rendered)).toBe(true);
    expect(store.bytes).toBe(before + rendered.length);
    const again = await h.app.inject({ url, headers: { 'if-none-match': plain.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const gz = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gz.rawPayload).equals(rendered)).toBe(true);
  });

  it('keeps the rendered body of a page a plain client rendered', async () => {
    const other = (await makeArticle(h.t.db, { headline: 'Asked plainly first' })).url;
    const plain = await h.app.inject({ url: other });
    expect(plain.headers['x-cache']).toBe('MISS');
    expect(h.app.pageCache.store?.peek(`http://localhost:80${other}`)?.body?.equals(plain.rawPayload)).toBe(true);
  });
});
