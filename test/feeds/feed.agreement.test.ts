import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { xmllint } from '../seo/xml.js';

const PUBLISHED = '2026-11-20T09:00:00.000Z';
const UPDATED = '2026-11-22T10:30:00.000Z';

describe.each(DIALECTS)('feeds and sitemaps agree with the pages on %s', (dialect) => {
  let h: TestApp;
  let changed: { id: number; slug: string };
  let untouched: { id: number; slug: string };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    changed = await makeArticle(h.t.db, {
      headline: 'Changed after publication',
      tags: ['City Hall', 'Budget'],
      published: new Date(PUBLISHED),
    });
    untouched = await makeArticle(h.t.db, { headline: 'Never changed', section: 'Business', published: new Date(PUBLISHED) });
    // A bulk load (the demo) touches every row's modified_at long after the articles' own dates.
    const loadedAt = new Date().toISOString();
    await h.t.db.updateTable('articles').set({ modified_at: loadedAt }).execute();
    await h.t.db.updateTable('articles').set({ updated_at: UPDATED }).where('id', '=', changed.id).execute();
  });
  afterAll(() => h.close());

  it('gives every Atom category a non-empty term (RFC 4287), its name as the label', async () => {
    for (const url of ['/atom.xml', '/politics/atom.xml', '/tag/city-hall/atom.xml']) {
      const res = await h.app.inject(url);
      expect(xmllint(res.body).ok, url).toBe(true);
      const categories = tags(res.body, 'category');
      expect(categories.length, url).toBeGreaterThan(0);
      for (const c of categories) expect(c.term?.trim(), `${url} ${JSON.stringify(c)}`).toBeTruthy();
    }
    const all = tags((await h.app.inject('/atom.xml')).body, 'category');
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'city-hall', label: 'City Hall' })]));
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'politics', label: 'Politics' })]));
  });

  it('sitemap lastmod, JSON-LD dateModified and the Atom entry updated time are the same instant', async () => {
    const sitemap = (await h.app.inject('/sitemaps/articles-1.xml')).body;
    const atom = (await h.app.inject('/atom.xml')).body;
    for (const [a, expected] of [
      [changed, UPDATED],
      [untouched, PUBLISHED],
    ] as const) {
      const section = a === changed ? 'politics' : 'business';
      const url = new RegExp(`<url><loc>[^<]*/${section}/${a.slug}</loc><lastmod>([^<]+)</lastmod>`).exec(sitemap);
      const lastmod = Date.parse(url?.[1] ?? '');
      const page = (await h.app.inject(`/${section}/${a.slug}`)).body;
      const ld = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
        .map((m) => JSON.parse(m[1]))
        .find((d) => d['@type'] === 'NewsArticle');
      const dateModified = Date.parse(ld?.dateModified);
      const entry = new RegExp(`<entry>(?:(?!</entry>)[\\s\\S])*?/${section}/${a.slug}"?[\\s\\S]*?</entry>`).exec(atom)?.[0] ?? '';
      const updated = Date.parse(/<updated>([^<]+)<\/updated>/.exec(entry)?.[1] ?? '');
      expect(lastmod, a.slug).toBe(Date.parse(expected));
      expect(dateModified, a.slug).toBe(lastmod);
      expect(updated, a.slug).toBe(lastmod);
    }
  });

  it("the sitemap index gives each article sitemap its newest article's dateModified, not the load time", async () => {
    const index = (await h.app.inject('/sitemap.xml')).body;
    const entry = /<sitemap><loc>[^<]*\/sitemaps\/articles-1\.xml<\/loc><lastmod>([^<]+)<\/lastmod>/.exec(index);
    expect(entry, index).not.toBeNull();
    expect(Date.parse(entry?.[1] ?? '')).toBe(Date.parse(UPDATED));
  });
});
