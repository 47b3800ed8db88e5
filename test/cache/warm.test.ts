import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmPages } from '../../src/cache/cache.warm.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

describe('rendering the front pages ahead of readers', () => {
  let h: CachedApp;
  const urls: string[] = [];
  beforeAll(async () => {
    h = await createCachedApp('sqlite');
    for (let i = 0; i < 4; i++) urls.push((await makeArticle(h.t.db, { headline: `Warm story ${i}`, section: 'Politics' })).url);
  });
  afterAll(() => h.close());

  it('leaves home, sections and the newest articles in the cache, and skips older ones', async () => {
    const rendered = await warmPages(h.app, { articles: 3 });
    expect(rendered).toBeGreaterThanOrEqual(5);
    for (const url of ['/', '/politics', ...urls.slice(1)]) {
      expect((await h.app.inject(url)).headers['x-cache'], url).toBe('HIT');
    }
    // The oldest of the four is beyond the three newest.
    expect((await h.app.inject(urls[0])).headers['x-cache']).toBe('MISS');
  });

  it('caches under the site URL readers use, when one is set', async () => {
    await saveSettings(h.t.db, { siteUrl: 'https://news.example.org' });
    h.app.gazette.invalidateSettings();
    await warmPages(h.app, { articles: 1 });
    const reader = await h.app.inject({ url: urls[3], headers: { host: 'news.example.org' } });
    expect(reader.headers['x-cache']).toBe('HIT');
    expect(reader.body).toContain('https://news.example.org');
    const other = await h.app.inject({ url: urls[3], headers: { host: 'elsewhere.example.org' } });
    expect(other.headers['x-cache']).toBe('MISS');
  });

  it('stops when the server is closing', async () => {
    expect(await warmPages(h.app, { closing: () => true })).toBe(0);
  });
});
