import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKeyPath } from '../../src/cache/cache.http.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { type CachedApp, cachedPaths, createCachedApp } from './cache.helpers.js';

const canonicalOf = (html: string) => tags(html, 'link').find((l) => l.rel === 'canonical')?.href;
const ogUrlOf = (html: string) => tags(html, 'meta').find((m) => m.property === 'og:url')?.content;

describe('tracking parameters out of the cache key', () => {
  it('drops campaign tags and click ids, keeping the parameters a page reads as sent and in order', () => {
    expect(pageKeyPath('/politics/x')).toBe('/politics/x');
    expect(pageKeyPath('/politics/x?utm_source=a&fbclid=b')).toBe('/politics/x');
    expect(pageKeyPath('/search?utm_medium=mail&q=a+b&gclid=1&page=2&_ga=3')).toBe('/search?q=a+b&page=2');
    expect(pageKeyPath('/x?UTM_Campaign=a&utm%5Fterm=b&msclkid=c&mc_cid=d&mc_eid=e&igshid=f&yclid=g&dclid=h&ref_src=i')).toBe('/x');
    expect(pageKeyPath('/x?utm_source=a&')).toBe('/x');
    expect(pageKeyPath('/x?page=2&&after=z')).toBe('/x?page=2&after=z');
    expect(pageKeyPath('/politics/x?cpage=2&utm=1&ref=2&source=3')).toBe('/politics/x?cpage=2');
    expect(pageKeyPath('/search?%E0%A4%A=1&utm_id=2&q=x')).toBe('/search?q=x');
  });
});

describe.each(DIALECTS)('tracking parameters and the page cache on %s', (dialect) => {
  let h: CachedApp;
  let url: string;
  beforeAll(async () => {
    h = await createCachedApp(dialect);
    // One more than a listing page holds, so /politics?page=2 exists.
    for (let i = 0; i < 21; i++) url = (await makeArticle(h.t.db, { headline: `Shared story ${i}`, section: 'Politics' })).url;
  });
  afterAll(() => h.close());

  it('answers a shared link from the entry of the bare page, with a canonical link without them', async () => {
    const bare = await h.app.inject(url);
    expect(bare.headers['x-cache']).toBe('MISS');
    const shared = await h.app.inject(`${url}?utm_source=a&fbclid=b`);
    expect(shared.statusCode).toBe(200);
    expect(shared.headers['x-cache']).toBe('HIT');
    expect(shared.body).toBe(bare.body);
    expect(shared.headers.etag).toBe(bare.headers.etag);
    expect(cachedPaths(h.app, [url, `${url}?utm_source=a&fbclid=b`])).toEqual([url]);
    const canonical = canonicalOf(shared.body);
    expect(canonical).toBe(`http://localhost:80${url}`);
    expect(ogUrlOf(shared.body)).toBe(canonical);
  });

  it('a first visit through a shared link renders without them and stores the bare entry', async () => {
    const shared = await h.app.inject('/politics?utm_campaign=spring&gclid=x');
    expect(shared.headers['x-cache']).toBe('MISS');
    expect(canonicalOf(shared.body)).toBe('http://localhost:80/politics');
    expect(shared.body).not.toMatch(/utm_|gclid/);
    const bare = await h.app.inject('/politics');
    expect(bare.headers['x-cache']).toBe('HIT');
    expect(bare.body).toBe(shared.body);
  });

  it('keeps other parameters in the key: ?page=2 is its own entry', async () => {
    await h.app.inject('/politics');
    const second = await h.app.inject('/politics?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-cache']).toBe('MISS');
    expect(canonicalOf(second.body)).toBe('http://localhost:80/politics?page=2');
    const shared = await h.app.inject('/politics?utm_source=news&page=2&_ga=1');
    expect(shared.headers['x-cache']).toBe('HIT');
    expect(shared.body).toBe(second.body);
    expect(shared.body).not.toBe((await h.app.inject('/politics')).body);
  });

  it('the front door on a listening server uses the same key', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    const path = `${url}?stay=1`;
    expect((await fetch(`${base}${path}`)).headers.get('x-cache')).toBe('MISS');
    for (const extra of ['&utm_source=a', '&fbclid=b&utm_medium=c']) {
      const res = await fetch(`${base}${path}${extra}`);
      expect(res.headers.get('x-cache')).toBe('HIT');
      await res.arrayBuffer();
    }
  });
});
