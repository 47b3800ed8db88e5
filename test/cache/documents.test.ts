import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/events.js';
import { upsertNarration } from '../../src/narration/narration.repo.js';
import { updatePerson } from '../../src/newsroom/structure.service.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, cachedPaths, createCachedApp } from './cache.helpers.js';

const RSS = 'application/rss+xml';
const ATOM = 'application/atom+xml';
const JSON_FEED = 'application/feed+json';
const XML = 'application/xml';

/** Each feed and SEO document: its content type, its lifetime and the key every article change purges. */
const DOCUMENTS: [url: string, type: string, cacheControl: string, key: string][] = [
  ...['', '/politics', '/author/ana-ruiz', '/tag/budget'].flatMap((base): [string, string, string, string][] => [
    [`${base}/feed.xml`, RSS, 'public, max-age=300', 'feeds'],
    [`${base}/atom.xml`, ATOM, 'public, max-age=300', 'feeds'],
    [`${base}/feed.json`, JSON_FEED, 'public, max-age=300', 'feeds'],
  ]),
  ['/podcast.xml', RSS, 'public, max-age=300', 'podcast'],
  ['/politics/podcast.xml', RSS, 'public, max-age=300', 'podcast'],
  ['/robots.txt', 'text/plain', 'public, max-age=3600', 'sitemaps'],
  ['/sitemap.xml', XML, 'public, max-age=300', 'sitemaps'],
  ['/sitemaps/articles-1.xml', XML, 'public, max-age=300', 'sitemaps'],
  ['/sitemaps/sections.xml', XML, 'public, max-age=300', 'sitemaps'],
  ['/sitemaps/authors.xml', XML, 'public, max-age=300', 'sitemaps'],
  ['/sitemaps/tags.xml', XML, 'public, max-age=300', 'sitemaps'],
  ['/news-sitemap.xml', XML, 'public, max-age=60', 'sitemaps'],
];
const URLS = DOCUMENTS.map(([url]) => url);
const PODCASTS = ['/podcast.xml', '/politics/podcast.xml'];
/** Documents that name articles (the others list places, or nothing that an article changes). */
const LISTING = URLS.filter((u) => /feed|atom|articles-|news-sitemap/.test(u));

describe.each(DIALECTS)('feeds and sitemaps in the page cache on %s', (dialect) => {
  let h: CachedApp;
  let first: { id: number; url: string; slug: string };

  const narrate = (articleId: number) =>
    h.t.db.transaction().execute(async (trx) => {
      await upsertNarration(trx, articleId, { status: 'ready', file: `${articleId}-abc.mp3`, bytes: 1000, duration_ms: 4000 });
      await recordEvent(trx, 'narration.ready', articleId, { file: `${articleId}-abc.mp3`, durationMs: 4000 });
    });
  const warm = async () => {
    await h.app.pageCache.sync();
    for (const url of URLS) expect((await h.app.inject(url)).statusCode, url).toBe(200);
    expect(cachedPaths(h.app, URLS)).toEqual(URLS);
  };

  beforeAll(async () => {
    h = await createCachedApp(dialect);
    first = await makeArticle(h.t.db, { headline: 'Council sets the budget', authors: ['Ana Ruiz'], tags: ['Budget'] });
    await narrate(first.id);
  });
  afterAll(() => h.close());

  it('renders each document once, then answers from memory with its own type and lifetime', async () => {
    await h.app.pageCache.sync();
    for (const [url, type, cacheControl, key] of DOCUMENTS) {
      const miss = await h.app.inject(url);
      expect(miss.statusCode, url).toBe(200);
      expect(miss.headers['x-cache'], url).toBe('MISS');
      const hit = await h.app.inject(url);
      expect(hit.headers['x-cache'], url).toBe('HIT');
      expect(hit.body, url).toBe(miss.body);
      for (const res of [miss, hit]) {
        expect(res.headers['content-type'], url).toContain(type);
        expect(res.headers['cache-control'], url).toBe(cacheControl);
        expect(res.headers.etag, url).toMatch(/^"[\w-]+"$/);
        expect(String(res.headers['surrogate-key']).split(' '), url).toContain(key);
      }
      expect(hit.headers.etag, url).toBe(miss.headers.etag);
    }
  });

  it('keeps Last-Modified on answers from memory and answers If-Modified-Since from there', async () => {
    await warm();
    for (const url of LISTING) {
      const hit = await h.app.inject(url);
      expect(hit.headers['x-cache'], url).toBe('HIT');
      const modified = String(hit.headers['last-modified']);
      expect(Date.parse(modified), url).not.toBeNaN();
      const current = await h.app.inject({ url, headers: { 'if-modified-since': modified } });
      expect(current.statusCode, url).toBe(304);
      expect(current.headers['x-cache'], url).toBe('HIT');
      const older = new Date(Date.parse(modified) - 60_000).toUTCString();
      expect((await h.app.inject({ url, headers: { 'if-modified-since': older } })).statusCode, url).toBe(200);
      // If-None-Match wins over If-Modified-Since.
      const both = await h.app.inject({ url, headers: { 'if-modified-since': modified, 'if-none-match': '"other"' } });
      expect(both.statusCode, url).toBe(200);
    }
  });

  it('answers 304 to If-None-Match in every encoding', async () => {
    await warm();
    for (const url of URLS) {
      for (const encoding of ['br', 'gzip', 'identity']) {
        const full = await h.app.inject({ url, headers: { 'accept-encoding': encoding } });
        const again = await h.app.inject({ url, headers: { 'accept-encoding': encoding, 'if-none-match': String(full.headers.etag) } });
        expect(again.statusCode, `${url} ${encoding}`).toBe(304);
        expect(again.body, url).toBe('');
      }
      expect((await h.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode, url).toBe(200);
    }
  });

  it('serves br and gzip bodies that decode to the very same bytes', async () => {
    await warm();
    for (const url of URLS) {
      const plain = await h.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
      const br = await h.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      const gz = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload), url).toBe(true);
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload), url).toBe(true);
      expect(br.headers['content-type'], url).toBe(plain.headers['content-type']);
    }
  });

  it('publishing an article purges every feed and sitemap, and they then list it', async () => {
    await warm();
    const fresh = await makeArticle(h.t.db, { headline: 'Harbour tunnel opens', authors: ['Ana Ruiz'], tags: ['Budget'] });
    await h.app.pageCache.sync();
    // The podcasts go too: an article published again may bring back a narration it already had.
    expect(cachedPaths(h.app, URLS)).toEqual([]);
    for (const url of URLS) {
      const res = await h.app.inject(url);
      expect(res.headers['x-cache'], url).toBe('MISS');
      if (LISTING.includes(url)) expect(res.body, url).toContain(url.includes('articles-') ? fresh.slug : 'Harbour tunnel opens');
    }
  });

  it('a ready narration purges the podcasts and the page that plays it, not the feeds and sitemaps that list the article', async () => {
    const fresh = await makeArticle(h.t.db, { headline: 'Ferry strike ends', authors: ['Ana Ruiz'] });
    await warm();
    await h.app.inject(fresh.url);
    expect(cachedPaths(h.app, [fresh.url])).toEqual([fresh.url]);
    await narrate(fresh.id);
    await h.app.pageCache.sync();
    // Feeds and sitemaps carry no audio: only the article's own page and the podcasts change.
    const kept = URLS.filter((u) => !PODCASTS.includes(u));
    expect(cachedPaths(h.app, [...URLS, fresh.url])).toEqual(kept);
    for (const url of PODCASTS) {
      const res = await h.app.inject(url);
      expect(res.headers['x-cache'], url).toBe('MISS');
      expect(res.body, url).toContain('Ferry strike ends');
      expect(res.body, url).toContain(`/audio/${fresh.id}-abc.mp3`);
    }
  });

  it('renaming a byline purges the feeds and podcasts that name it, not the sitemaps', async () => {
    await warm();
    const person = await h.t.db.selectFrom('people').select('id').where('slug', '=', 'ana-ruiz').executeTakeFirstOrThrow();
    await h.t.db.transaction().execute((trx) => updatePerson(trx, person.id, { name: 'Ana Ruiz Soto', bio: '' }));
    await h.app.pageCache.sync();
    expect(cachedPaths(h.app, URLS)).toEqual(URLS.filter((u) => /robots|sitemap/.test(u)));
    expect((await h.app.inject('/feed.xml')).body).toContain('Ana Ruiz Soto');
  });
});
