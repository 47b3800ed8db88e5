import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/media/image.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { xmllint } from '../seo/xml.js';

// Strict: a malformed feed is an error, as it would be for a careful reader.
const parser = new Parser({ xml2js: { strict: true }, customFields: { item: [['dc:creator', 'creators', { keepArray: true }]] } });

const EVIL = 'Q&A: <script>alert(1)</script> ]]> and ]]> again \u0001';

describe.each(DIALECTS)('feeds on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url, headers });

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const hero = await processImage(await makeImage({ width: 1600, height: 900 }), h.app.gazette.mediaRoot);
    await makeArticle(
      h.t.db,
      {
        headline: 'Council approves budget',
        standfirst: 'A late-night vote.',
        body: 'The [budget](/politics) passed.\n\n![chart](/media/chart.png)',
        authors: ['Ana Ruiz', 'James Thompson'],
        tags: ['Budget', 'City Hall'],
        heroAlt: 'Council members voting',
        heroCaption: 'The vote',
        heroCredit: 'Photo: Ana',
        published: new Date('2026-11-20T09:00:00Z'),
      },
      { hero },
    );
    await makeArticle(h.t.db, { headline: EVIL, standfirst: EVIL, section: 'Business', published: new Date('2026-11-21T09:00:00Z') });
    for (let i = 0; i < 52; i++) {
      await makeArticle(h.t.db, { headline: `Filler ${i}`, section: 'Sport', published: new Date(Date.UTC(2026, 9, 1, 0, i)) });
    }
  });
  afterAll(() => h.close());

  it('serves RSS 2.0 that a strict reader parses, with the latest 50 articles', async () => {
    const res = await get('/feed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/rss+xml');
    expect(xmllint(res.body).ok).toBe(true);
    const feed = await parser.parseString(res.body);
    expect(feed.items).toHaveLength(50);
    expect(feed.title).toBe('The Gazette');
    const [evil, budget] = feed.items;
    expect(evil.title).toContain('<script>');
    expect(evil.content).toContain('&lt;script&gt;');
    expect(budget.title).toBe('Council approves budget');
    expect(budget.link).toMatch(/^http:\/\/localhost(:\d+)?\/politics\//);
    expect(new Date(budget.isoDate!).toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect((budget as any).creators).toEqual(['Ana Ruiz', 'James Thompson']);
    expect(budget.categories).toEqual(['Politics', 'Budget', 'City Hall']);
    expect(budget.enclosure).toMatchObject({ type: 'image/jpeg' });
    expect(budget.enclosure!.url).toMatch(/^http:\/\/localhost(:\d+)?\/media\/.+\.jpg$/);
    expect(Number(budget.enclosure!.length)).toBeGreaterThan(0);
    expect((budget as any)['content:encoded']).toContain('href="http://localhost');
    expect((budget as any)['content:encoded']).toContain('alt="Council members voting"');
    expect((budget as any)['content:encoded']).not.toMatch(/(href|src)="\//);
  });

  it('serves Atom with authors, summary, content and published/updated times', async () => {
    const res = await get('/atom.xml');
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(xmllint(res.body).ok).toBe(true);
    const feed = await parser.parseString(res.body);
    expect(feed.items).toHaveLength(50);
    const budget = feed.items[1];
    expect(budget.title).toBe('Council approves budget');
    expect(res.body).toContain('<name>Ana Ruiz</name>');
    expect(res.body).toContain('<published>2026-11-20T09:00:00.000Z</published>');
    expect(res.body).toMatch(/rel="enclosure"[^>]*type="image\/jpeg"/);
    expect(res.body).not.toContain('<script>');
  });

  it('serves JSON Feed 1.1', async () => {
    const res = await get('/feed.json');
    expect(res.headers['content-type']).toContain('application/feed+json');
    const feed = res.json();
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items).toHaveLength(50);
    const budget = feed.items[1];
    expect(budget).toMatchObject({
      title: 'Council approves budget',
      summary: 'A late-night vote.',
      date_published: '2026-11-20T09:00:00.000Z',
      tags: ['Politics', 'Budget', 'City Hall'],
      language: 'en-US',
    });
    expect(budget.authors.map((a: any) => a.name)).toEqual(['Ana Ruiz', 'James Thompson']);
    expect(budget.image).toMatch(/\.jpg$/);
    expect(feed.items[0].title).toBe(EVIL);
  });

  it('has feeds per section, author and tag; 404 for unknown ones', async () => {
    for (const [url, count] of [
      ['/politics/feed.xml', 1],
      ['/sport/atom.xml', 50],
      ['/business/feed.json', 1],
      ['/author/ana-ruiz/feed.xml', 1],
      ['/author/james-thompson/atom.xml', 50],
      ['/tag/city-hall/feed.xml', 1],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      if (url.endsWith('.json')) expect(res.json().items).toHaveLength(count);
      else {
        expect(xmllint(res.body).ok, url).toBe(true);
        expect((await parser.parseString(res.body)).items, url).toHaveLength(count);
      }
    }
    expect((await get('/nope/feed.xml')).statusCode).toBe(404);
    expect((await get('/author/nobody/feed.json')).statusCode).toBe(404);
    expect((await get('/tag/nothing/atom.xml')).statusCode).toBe(404);
  });

  it('answers conditional requests with 304', async () => {
    const first = await get('/feed.xml');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['last-modified']).toBeTruthy();
    expect((await get('/feed.xml', { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    expect((await get('/feed.xml', { 'if-none-match': '"other"' })).statusCode).toBe(200);
    expect((await get('/feed.xml', { 'if-modified-since': String(first.headers['last-modified']) })).statusCode).toBe(304);
    expect((await get('/feed.xml', { 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' })).statusCode).toBe(200);
    await makeArticle(h.t.db, { headline: 'Breaking news' });
    const after = await get('/feed.xml', { 'if-none-match': String(first.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(first.headers.etag);
  });

  it('is linked from every page for autodiscovery', async () => {
    const home = await get('/');
    expect(home.body).toContain('type="application/rss+xml"');
    expect(home.body).toContain('type="application/atom+xml"');
    expect(home.body).toContain('type="application/feed+json"');
    const author = await get('/author/ana-ruiz');
    expect(author.body).toContain('href="/author/ana-ruiz/feed.xml"');
    const tag = await get('/tag/city-hall');
    expect(tag.body).toContain('href="/tag/city-hall/feed.xml"');
  });
});
