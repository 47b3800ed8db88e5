import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleById } from '../../src/articles/article.repo.js';
import { processImage } from '../../src/media/image.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { projectRoot } from '../../src/web/assets.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { makeImage } from '../helpers/images.js';

const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
const EVIL = 'Tom & Jerry </script><script>alert(1)</script> <!-- x';

function jsonLd(html: string): any[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => {
    expect(m[1]).not.toMatch(/<|>/);
    return JSON.parse(m[1]);
  });
}
const meta = (html: string) => {
  const out: Record<string, string[]> = {};
  for (const t of tags(html, 'meta')) {
    const key = t.property ?? t.name;
    if (!key) continue;
    out[key] = [...(out[key] ?? []), t.content];
  }
  return out;
};

/** Google's checks as `structured-data-testing-tool` runs them, on a saved page (offline). */
function sdtt(html: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sdtt-'));
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, html);
    const cli = join(projectRoot, 'node_modules', 'structured-data-testing-tool', 'bin', 'cli.js');
    const r = spawnSync(process.execPath, [cli, '--file', file, '--presets', 'Google', '--schemas', 'NewsArticle'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DIALECTS)('structured data and meta on %s', (dialect) => {
  let h: TestApp;
  let url: string;
  let evilUrl: string;
  let articleId: number;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await saveSettings(h.t.db, { siteUrl: 'https://news.example.org', timeZone: 'America/New_York' });
    h.app.gazette.invalidateSettings();
    const hero = await processImage(await makeImage({ width: 1600, height: 1000 }), h.app.gazette.mediaRoot);
    const a = await makeArticle(
      h.t.db,
      {
        headline: 'Council approves budget',
        standfirst: 'A late-night vote.',
        authors: ['Ana Ruiz', 'James Thompson'],
        tags: ['Budget', 'City Hall'],
        heroAlt: 'Council members voting',
        published: new Date('2026-11-20T14:00:00Z'),
      },
      { hero },
    );
    articleId = a.id;
    url = a.url;
    await makeArticle(
      h.t.db,
      {
        slug: a.slug,
        headline: 'Council approves budget',
        standfirst: 'A late-night vote.',
        authors: ['Ana Ruiz', 'James Thompson'],
        tags: ['Budget', 'City Hall'],
        heroAlt: 'Council members voting',
        published: new Date('2026-11-20T14:00:00Z'),
      },
      { hero },
    );
    evilUrl = (await makeArticle(h.t.db, { headline: EVIL, standfirst: EVIL, tags: [EVIL] })).url;
  });
  afterAll(() => h.close());

  it('describes an article as a NewsArticle with every recommended property', async () => {
    const res = await h.app.inject(url);
    const [article, crumbs] = jsonLd(res.body);
    const stored = (await findArticleById(h.t.db, articleId))!;
    expect(article['@context']).toBe('https://schema.org');
    expect(article['@type']).toBe('NewsArticle');
    expect(article.headline).toBe('Council approves budget');
    expect(article.description).toBe('A late-night vote.');
    expect(article.datePublished).toMatch(ISO_WITH_OFFSET);
    expect(article.datePublished).toBe('2026-11-20T09:00:00-05:00');
    expect(article.dateModified).toMatch(ISO_WITH_OFFSET);
    expect(Date.parse(article.dateModified)).toBe(Math.floor(Date.parse(stored.updatedAt!) / 1000) * 1000);
    expect(article.author).toEqual([
      { '@type': 'Person', name: 'Ana Ruiz', url: 'https://news.example.org/author/ana-ruiz' },
      { '@type': 'Person', name: 'James Thompson', url: 'https://news.example.org/author/james-thompson' },
    ]);
    expect(article.publisher).toMatchObject({ '@type': 'Organization', name: 'The Gazette' });
    expect(article.publisher.logo).toMatchObject({ '@type': 'ImageObject', width: 512, height: 512 });
    expect(article.publisher.logo.url).toMatch(/^https:\/\/news\.example\.org\/publisher-logo\.png\?v=[0-9a-f]{10}$/);
    expect(article.articleSection).toBe('Politics');
    expect(article.keywords).toEqual(['Budget', 'City Hall']);
    expect(article.wordCount).toBe(stored.wordCount);
    expect(typeof article.wordCount).toBe('number');
    expect(article.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': `https://news.example.org${url}` });
    expect(article.inLanguage).toBe('en-US');
    expect(article.isAccessibleForFree).toBe(true);
    expect(crumbs['@type']).toBe('BreadcrumbList');
    expect(crumbs.itemListElement.map((i: any) => [i.position, i.name])).toEqual([
      [1, 'The Gazette'],
      [2, 'Politics'],
      [3, 'Council approves budget'],
    ]);
  });

  it('serves the 16:9, 4:3 and 1:1 crops it names, each over 50,000 pixels', async () => {
    const res = await h.app.inject(url);
    const [article] = jsonLd(res.body);
    expect(article.image.map((i: any) => i.width / i.height)).toEqual([16 / 9, 4 / 3, 1]);
    for (const image of article.image) {
      expect(image['@type']).toBe('ImageObject');
      const path = new URL(image.url).pathname;
      const img = await h.app.inject(path);
      expect(img.statusCode, path).toBe(200);
      expect(img.headers['content-type']).toBe('image/jpeg');
      const m = await sharp(img.rawPayload).metadata();
      expect([m.width, m.height]).toEqual([image.width, image.height]);
      expect(m.width! * m.height!).toBeGreaterThanOrEqual(50_000);
      expect(m.exif).toBeUndefined();
    }
    const again = await h.app.inject(new URL(article.image[0].url).pathname);
    expect(again.statusCode).toBe(200);
    for (const bad of ['/images/999-16x9.jpg', '/images/1-2x1.jpg', '/images/x.jpg', '/images/0-1x1.jpg']) {
      expect((await h.app.inject(bad)).statusCode, bad).toBe(404);
    }
    // The publisher's logo is the site's own icon (its uploaded logo, else its initials), not a fixed drawing.
    const logo = await h.app.inject('/publisher-logo.png');
    expect(logo.headers['content-type']).toBe('image/png');
    expect((await sharp(logo.rawPayload).metadata()).width).toBe(512);
    expect(logo.rawPayload.equals((await h.app.inject('/icon-512.png')).rawPayload)).toBe(true);
  });

  it('has canonical, Open Graph, article and Twitter tags', async () => {
    const res = await h.app.inject(url);
    const m = meta(res.body);
    const canonical = `https://news.example.org${url}`;
    expect(tags(res.body, 'link').find((l) => l.rel === 'canonical')?.href).toBe(canonical);
    expect(m['og:type']).toEqual(['article']);
    expect(m['og:title']).toEqual(['Council approves budget']);
    expect(m['og:description']).toEqual(['A late-night vote.']);
    expect(m['og:url']).toEqual([canonical]);
    expect(m['og:site_name']).toEqual(['The Gazette']);
    expect(m['og:image'][0]).toMatch(/^https:\/\/news\.example\.org\/images\/\d+-[0-9a-f]{16}-16x9\.jpg$/);
    expect(m['og:image:width']).toEqual(['1200']);
    expect(m['og:image:height']).toEqual(['675']);
    expect(m['og:image:alt']).toEqual(['Council members voting']);
    expect(m['article:published_time']).toEqual(['2026-11-20T09:00:00-05:00']);
    expect(m['article:modified_time'][0]).toMatch(ISO_WITH_OFFSET);
    expect(m['article:section']).toEqual(['Politics']);
    expect(m['article:tag']).toEqual(['Budget', 'City Hall']);
    expect(m['article:author']).toEqual(['https://news.example.org/author/ana-ruiz', 'https://news.example.org/author/james-thompson']);
    expect(m['twitter:card']).toEqual(['summary_large_image']);
    expect(m.robots[0]).toContain('max-image-preview:large');
    expect(m.description).toEqual(['A late-night vote.']);
  });

  it('keeps hostile text inert inside JSON-LD', async () => {
    const res = await h.app.inject(evilUrl);
    expect(res.body).not.toContain('<script>alert(1)');
    const [article] = jsonLd(res.body);
    expect(article.headline).toBe(EVIL);
    expect(article.keywords).toEqual([EVIL]);
    expect(article.image).toBeUndefined();
  });

  it('marks up the home page as a WebSite with a SearchAction, and author pages as a Person', async () => {
    const home = jsonLd((await h.app.inject('/')).body);
    const site = home.find((d) => d['@type'] === 'WebSite');
    expect(site.url).toBe('https://news.example.org/');
    expect(site.potentialAction).toMatchObject({
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: 'https://news.example.org/search?q={search_term_string}' },
      'query-input': 'required name=search_term_string',
    });
    const [author] = jsonLd((await h.app.inject('/author/ana-ruiz')).body);
    expect(author).toMatchObject({ '@type': 'Person', name: 'Ana Ruiz', url: 'https://news.example.org/author/ana-ruiz' });
  });

  it('passes structured-data-testing-tool (Google preset, NewsArticle)', async () => {
    const res = await h.app.inject(url);
    const r = sdtt(res.body);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/NewsArticle/);
    if (process.env.SHOW_SDTT) console.log(r.output);
    // The tool is not a rubber stamp: an article without an image fails Google's preset.
    expect(sdtt((await h.app.inject(evilUrl)).body).status).not.toBe(0);
  });
});
