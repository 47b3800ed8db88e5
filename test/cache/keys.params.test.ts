import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKeyPath, pageParams } from '../../src/cache/cache.http.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, cachedPaths, createCachedApp } from './cache.helpers.js';

describe('the path and query a page is stored under', () => {
  it('keeps only the parameters the kind of page reads', () => {
    expect(pageKeyPath('/politics/story')).toBe('/politics/story');
    expect(pageKeyPath('/politics/story?x=1')).toBe('/politics/story');
    expect(pageKeyPath('/politics/story?q=1&page=2&cpage=3&csort=newest&utm_source=a')).toBe('/politics/story?cpage=3&csort=newest');
    expect(pageKeyPath('/politics?cpage=3&page=2&before=b&after=a&nonce=1')).toBe('/politics?page=2&before=b&after=a');
    expect(pageKeyPath('/?page=2&_=123')).toBe('/?page=2');
    expect(pageKeyPath('/tag/budget?page=2&cpage=4')).toBe('/tag/budget?page=2');
    expect(pageKeyPath('/author/ana?after=x&q=1')).toBe('/author/ana?after=x');
    expect(pageKeyPath('/search?x=1&q=a+b&section=politics&from=2026-01-01&to=2026-02-01&page=2&prefix=1&sort=no')).toBe(
      '/search?q=a+b&section=politics&from=2026-01-01&to=2026-02-01&page=2&prefix=1',
    );
    expect(pageKeyPath('/feed.xml?page=2')).toBe('/feed.xml');
    expect(pageKeyPath('/politics/atom.xml?x=1')).toBe('/politics/atom.xml');
    expect(pageKeyPath('/tag/budget/feed.json?q=1')).toBe('/tag/budget/feed.json');
    expect(pageKeyPath('/search?%71=encoded&&q=')).toBe('/search?%71=encoded&q=');
    expect(pageKeyPath('/politics/story?')).toBe('/politics/story');
  });

  it('knows the kinds of page by the shape of their path', () => {
    expect([...pageParams('/search')]).toContain('q');
    expect([...pageParams('/')]).toEqual(['before', 'after', 'page']);
    expect([...pageParams('/politics/')]).toEqual(['before', 'after', 'page']);
    expect([...pageParams('/politics/story')]).toEqual(['cpage', 'csort']);
    expect([...pageParams('/comments/1/reply')]).toEqual([]);
    expect([...pageParams('/sitemap.xml')]).toEqual([]);
  });
});

describe.each(DIALECTS)('unknown query parameters and the page cache on %s', (dialect) => {
  let h: CachedApp;
  let url: string;
  let other: string;
  beforeAll(async () => {
    // A small cache: 2,000 entries of an article page would not fit in it.
    h = await createCachedApp(dialect, { maxBytes: 2 * 1024 * 1024 });
    url = (await makeArticle(h.t.db, { headline: 'Flooded story', section: 'Politics' })).url;
    other = (await makeArticle(h.t.db, { headline: 'Quiet story', section: 'Business' })).url;
    await h.app.pageCache.sync();
  });
  afterAll(() => h.close());

  it('2,000 distinct unknown-parameter addresses of one article make one entry and push nothing out', async () => {
    for (const path of ['/', '/politics', other]) expect((await h.app.inject(path)).statusCode).toBe(200);
    expect(cachedPaths(h.app, ['/', '/politics', other])).toEqual(['/', '/politics', other]);
    const stores = h.app.pageCache.store?.stats.stores ?? 0;
    const first = await h.app.inject(`${url}?x=0`);
    expect(first.statusCode).toBe(200);
    for (let i = 1; i < 2000; i++) {
      const res = await h.app.inject(`${url}?${i % 2 ? 'x' : `cb${i}`}=${i}&utm_source=${i}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-cache']).toBe('HIT');
    }
    expect((h.app.pageCache.store?.stats.stores ?? 0) - stores).toBe(1);
    expect(cachedPaths(h.app, ['/', '/politics', other, url])).toEqual(['/', '/politics', other, url]);
    expect(h.app.pageCache.store?.size).toBe(4);
  });

  it('answers the page with its parameters ignored, as the bare page is, with the bare canonical link', async () => {
    const bare = await h.app.inject(url);
    const odd = await h.app.inject(`${url}?q=anything&page=7`);
    expect(odd.body).toBe(bare.body);
    expect(odd.body).toContain(`<link rel="canonical" href="http://localhost:80${url}"`);
  });

  it('still keeps a page the parameters change as its own entry', async () => {
    const second = await h.app.inject(`${url}?cpage=2`);
    expect(second.statusCode).toBe(200);
    expect(cachedPaths(h.app, [`${url}?cpage=2`])).toEqual([`${url}?cpage=2`]);
  });
});
