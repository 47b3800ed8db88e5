import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/media/image.js';
import { isoWithOffset } from '../../src/seo/date.format.js';
import { newsLanguage } from '../../src/seo/sitemap.builder.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { xmllint } from './xml.js';

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

/** Article sitemaps carry Google image entries: they are validated with the image extension's schema. */
function validateArticleSitemap(xml: string): { ok: boolean; output: string } {
  return xmllint(xml, 'sitemap-all.xsd');
}

describe.each(DIALECTS)('sitemaps and robots on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject(url);

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await saveSettings(h.t.db, { siteUrl: 'https://news.example.org', timeZone: 'Europe/Berlin', siteName: 'Gazette & Co' });
    h.app.gazette.invalidateSettings();
    const hero = await processImage(await makeImage({ width: 1200, height: 800 }), h.app.gazette.mediaRoot);
    await makeArticle(h.t.db, { headline: 'Fresh <news> & "quotes"', tags: ['City Hall'], authors: ['Ana Ruiz'] }, { hero });
    await makeArticle(h.t.db, { headline: 'Old news', section: 'Business', published: new Date('2026-01-01T12:00:00Z') });
    await makeArticle(h.t.db, { headline: 'Later', published: new Date(Date.now() + 86_400_000) });
  });
  afterAll(() => h.close());

  it('serves a valid sitemap index naming every sitemap', async () => {
    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    const check = xmllint(res.body, 'siteindex.xsd');
    expect(check.ok, check.output).toBe(true);
    expect(locs(res.body)).toEqual([
      'https://news.example.org/sitemaps/articles-1.xml',
      'https://news.example.org/sitemaps/sections.xml',
      'https://news.example.org/sitemaps/authors.xml',
      'https://news.example.org/sitemaps/tags.xml',
    ]);
    expect(res.body).toMatch(/<lastmod>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00<\/lastmod>/);
  });

  it('lists published articles with lastmod and hero images', async () => {
    const res = await get('/sitemaps/articles-1.xml');
    const check = validateArticleSitemap(res.body);
    expect(check.ok, check.output).toBe(true);
    const urls = locs(res.body);
    expect(urls).toHaveLength(2);
    expect(urls.every((u) => u.startsWith('https://news.example.org/'))).toBe(true);
    expect(res.body).toContain('<image:loc>https://news.example.org/media/');
    expect((await get('/sitemaps/articles-2.xml')).statusCode).toBe(404);
    expect((await get('/sitemaps/articles-0.xml')).statusCode).toBe(404);
    expect((await get('/sitemaps/articles-x.xml')).statusCode).toBe(404);
  });

  it('lists the front page, sections, authors and tags', async () => {
    for (const [kind, expected] of [
      ['sections', ['https://news.example.org/', 'https://news.example.org/politics', 'https://news.example.org/business']],
      ['authors', ['https://news.example.org/author/ana-ruiz', 'https://news.example.org/author/james-thompson']],
      ['tags', ['https://news.example.org/tag/city-hall']],
    ] as const) {
      const res = await get(`/sitemaps/${kind}.xml`);
      const check = xmllint(res.body, 'sitemap.xsd');
      expect(check.ok, `${kind}: ${check.output}`).toBe(true);
      expect(locs(res.body).sort()).toEqual([...expected].sort());
    }
    expect((await get('/sitemaps/other.xml')).statusCode).toBe(404);
  });

  it('serves a Google News sitemap of the last 48 hours', async () => {
    const res = await get('/news-sitemap.xml');
    const check = xmllint(res.body, 'news-all.xsd');
    expect(check.ok, check.output).toBe(true);
    expect(locs(res.body)).toHaveLength(1);
    expect(res.body).toContain('<news:name>Gazette &amp; Co</news:name>');
    expect(res.body).toContain('<news:language>en</news:language>');
    expect(res.body).toContain('<news:title>Fresh &lt;news&gt; &amp; &quot;quotes&quot;</news:title>');
    expect(res.body).toMatch(/<news:publication_date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00<\/news:publication_date>/);
  });

  it('serves robots.txt naming the sitemaps and keeping crawlers out of private paths', async () => {
    const res = await get('/robots.txt');
    expect(res.headers['content-type']).toContain('text/plain');
    for (const line of ['User-agent: *', 'Disallow: /admin', 'Disallow: /api', 'Disallow: /search']) expect(res.body).toContain(line);
    expect(res.body).toContain('Sitemap: https://news.example.org/sitemap.xml');
    expect(res.body).toContain('Sitemap: https://news.example.org/news-sitemap.xml');
  });

  it('answers 304 to a client with a current copy', async () => {
    const first = await get('/sitemap.xml');
    const again = await h.app.inject({ url: '/sitemap.xml', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('sitemap helpers', () => {
  it('formats dates with the site offset', () => {
    expect(isoWithOffset('2026-11-20T09:00:00.123Z', 'Europe/Berlin')).toBe('2026-11-20T10:00:00+01:00');
    expect(isoWithOffset('2026-07-01T09:00:00Z', 'America/New_York')).toBe('2026-07-01T05:00:00-04:00');
    expect(isoWithOffset('2026-07-01T09:00:00Z', 'Asia/Kolkata')).toBe('2026-07-01T14:30:00+05:30');
    expect(isoWithOffset('2026-07-01T09:00:00Z')).toBe('2026-07-01T09:00:00+00:00');
    expect(isoWithOffset('nonsense')).toBe('');
  });

  it('maps locales to Google News language codes', () => {
    expect(newsLanguage('en-US')).toBe('en');
    expect(newsLanguage('zh-TW')).toBe('zh-tw');
    expect(newsLanguage('zh')).toBe('zh-cn');
    expect(newsLanguage('fil-PH')).toBe('fil');
    expect(newsLanguage('???')).toBe('en');
  });
});
