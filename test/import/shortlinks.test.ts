import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isPersonal } from '../../src/cache/cache.http.js';
import { runImport } from '../../src/import/import.service.js';
import { importedArticleFor, shortLinkTarget } from '../../src/import/import.shortlinks.js';
import { readWordPress } from '../../src/import/wordpress/wordpress.reader.js';
import { type CachedApp, createCachedApp } from '../cache/cache.helpers.js';
import { DIALECTS } from '../helpers/db.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const WP = fileURLToPath(new URL('../fixtures/import/wordpress/', import.meta.url));
const CRANE = '/council-and-politics/council-approves-harbour-crane';

describe('WordPress short links and the page cache key', () => {
  const personal = (url: string) => isPersonal({ headers: {}, url });
  it('lets /?p=, /?page_id= and /index.php?p= through the cache; other pages and parameters are unaffected', () => {
    expect(personal('/?p=101')).toBe(true);
    expect(personal('/?page_id=108')).toBe(true);
    expect(personal('/index.php?p=101')).toBe(true);
    expect(personal('/?utm_source=x&p=7')).toBe(true);
    expect(personal('/')).toBe(false);
    expect(personal('/?page=2')).toBe(false);
    expect(personal('/?utm_source=x')).toBe(false);
    expect(personal('/politics?p=3')).toBe(false);
  });
});

describe.each(DIALECTS)('WordPress short links after an import on %s', (dialect) => {
  let h: CachedApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });

  beforeAll(async () => {
    h = await createCachedApp(dialect);
    const report = await runImport(h.t.db, {
      source: 'wordpress',
      open: () => readWordPress(join(WP, 'harbour-times-1.2.xml')),
      media: join(WP, 'uploads'),
      mediaRoot: join(h.t.dataDir, 'media'),
    });
    // Each post's own short link is answered, so the report no longer lists it as kept out.
    expect(report.redirectsSkipped.filter((r) => /^\/\?(p|page_id)=/.test(r.from))).toEqual([]);
  });
  afterAll(() => h.close());

  it('finds the imported article of an old post or page id, published ones only', async () => {
    expect(await importedArticleFor(h.t.db, 'wordpress', 'post', '101')).toBe(CRANE);
    expect(await importedArticleFor(h.t.db, 'wordpress', 'page', '108')).toBe('/pages/about');
    expect(await importedArticleFor(h.t.db, 'wordpress', 'post', '103')).toBeUndefined(); // a draft
    expect(await importedArticleFor(h.t.db, 'ghost', 'post', '101')).toBeUndefined();
    expect(await shortLinkTarget(h.t.db, { p: '108' })).toBe('/pages/about');
    expect(await shortLinkTarget(h.t.db, { p: ['101', '108'] })).toBe(CRANE);
    expect(await shortLinkTarget(h.t.db, { p: '0101' })).toBeUndefined();
    expect(await shortLinkTarget(h.t.db, { p: '1e3' })).toBeUndefined();
    expect(await shortLinkTarget(h.t.db, undefined)).toBeUndefined();
  });

  it('answers 301 to the article for /?p=, /?page_id= and /index.php?p=, even with the front page cached', async () => {
    const front = await get('/');
    expect(front.statusCode).toBe(200);
    const again = await get('/');
    expect(again.headers['x-cache']).toBe('HIT');

    for (const [from, to] of [
      ['/?p=101', CRANE],
      ['/?p=101&utm_source=newsletter', CRANE],
      ['/index.php?p=101', CRANE],
      ['/?page_id=108', '/pages/about'],
      ['/?p=108', '/pages/about'],
    ]) {
      const res = await get(from);
      expect(res.statusCode, from).toBe(301);
      expect(res.headers.location, from).toBe(to);
      expect(res.headers['x-cache'], from).toBeUndefined();
    }
    const followed = await get(CRANE);
    expect(followed.statusCode).toBe(200);
    expect(followed.body).toContain('The crane has worked the north quay since 1979.');
  });

  it('shows the front page for an id nothing was imported under, a draft, or a value that is not a number', async () => {
    for (const url of ['/?p=999999', '/?p=103', '/?page_id=101', '/?p=abc', '/?p=%3Cscript%3E']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['x-cache'], url).toBeUndefined();
      expect(res.body, url).toContain('class="home"');
    }
    // `/index.php` alone is WordPress' front page: it moves to Gazette's.
    const index = await get('/index.php?p=999999');
    expect(index.statusCode).toBe(301);
    expect(index.headers.location).toBe('/');
    // The front page itself is still served from the cache.
    expect((await get('/')).headers['x-cache']).toBe('HIT');
  });
});
