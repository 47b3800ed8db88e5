import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleById } from '../../src/articles/article.repo.js';
import { publishDue, relatedArticles } from '../../src/articles/article.service.js';
import type { ArticleStatus } from '../../src/articles/article.table.js';
import { rebuildSearchIndex } from '../../src/search/search.index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';

const BAD_QUERIES = [
  '',
  ' ',
  '"',
  '""',
  '"unbalanced phrase',
  'NEAR(',
  'NEAR(council budget, 2)',
  'council AND OR NOT',
  '*',
  '-',
  '-council',
  'council:*',
  "'; DROP TABLE articles; --",
  '!!!???',
  '(((',
  '^council',
  'headline:council',
  '{headline}: council',
  'a'.repeat(1000),
  'council '.repeat(200),
  '\u0000\u0001\uE000\uE001',
  '😀 🗳️',
  '&<>\\',
  '%',
];

describe.each(DIALECTS)('search on %s', (dialect) => {
  let h: TestApp;
  const ids: Record<string, number> = {};
  const setStatus = (id: number, status: ArticleStatus, publishedAt?: string) => setArticleStatus(h.t.db, id, status, publishedAt);
  const api = async (qs: string) => {
    const res = await h.app.inject(`/api/v1/search?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const db = h.t.db;
    ids.headline = (
      await makeArticle(db, {
        headline: 'Harbor sanctions vote delayed',
        body: 'Officials met on Tuesday.',
        published: new Date('2026-11-01T09:00:00Z'),
      })
    ).id;
    ids.body = (
      await makeArticle(db, {
        headline: 'City notes from the week',
        body: 'The harbor was busy. The harbor pilots said the sanctions on shipping would hurt the harbor.',
        section: 'Business',
        published: new Date('2026-11-20T09:00:00Z'),
      })
    ).id;
    ids.phrase = (
      await makeArticle(db, {
        headline: 'Council approves budget after late-night session',
        standfirst: 'A reported October meeting drew criticism.',
        body: 'The city council voted 7-2 on the budget just after midnight.',
        tags: ['City Hall'],
        authors: ['Ana Ruiz'],
        published: new Date('2026-11-10T09:00:00Z'),
      })
    ).id;
    ids.reverse = (
      await makeArticle(db, {
        headline: 'Budget for the council library',
        body: 'Library budget plans, presented to the council.',
        published: new Date('2026-11-05T09:00:00Z'),
      })
    ).id;
    ids.tagged = (
      await makeArticle(db, {
        headline: 'Mayor opens new ferry terminal',
        body: 'Crowds gathered at the pier on Saturday.',
        tags: ['Waterfront'],
        published: new Date('2026-10-15T09:00:00Z'),
      })
    ).id;
    ids.scheduled = (
      await makeArticle(db, {
        headline: 'Embargoed harbor report',
        body: 'Not yet public.',
        published: new Date(Date.now() + 3600_000),
      })
    ).id;
  });
  afterAll(() => h.close());

  it('finds words in headline, body, tags and author names', async () => {
    expect((await api('q=pilots')).results.map((r: any) => r.id)).toEqual([ids.body]);
    expect((await api('q=waterfront')).results.map((r: any) => r.id)).toEqual([ids.tagged]);
    expect((await api('q=ruiz')).results.map((r: any) => r.id)).toEqual([ids.phrase]);
    expect((await api('q=criticism')).results.map((r: any) => r.id)).toEqual([ids.phrase]);
  });

  it('ranks headline matches above body matches, newer first among equals', async () => {
    const res = await api('q=harbor');
    expect(res.total).toBe(2);
    expect(res.results.map((r: any) => r.id)).toEqual([ids.headline, ids.body]);
    // Both headlines have both words; the library story has them in its body too.
    const budget = await api('q=budget%20council');
    expect(budget.results.map((r: any) => r.id)).toEqual([ids.reverse, ids.phrase]);
  });

  it('stems words, matches phrases, excludes and matches prefixes', async () => {
    expect((await api('q=voting')).results.map((r: any) => r.id)).toContain(ids.phrase);
    expect((await api(`q=${encodeURIComponent('"council approves"')}`)).results.map((r: any) => r.id)).toEqual([ids.phrase]);
    expect((await api(`q=${encodeURIComponent('"approves council"')}`)).total).toBe(0);
    expect((await api(`q=${encodeURIComponent('budget -library')}`)).results.map((r: any) => r.id)).toEqual([ids.phrase]);
    expect((await api(`q=${encodeURIComponent('sanct*')}`)).results.map((r: any) => r.id)).toEqual([ids.headline, ids.body]);
    expect((await api('q=sanct')).total).toBe(0);
    expect((await api('q=harbor%20sanct&prefix=1')).total).toBe(2);
    expect((await api(`q=${encodeURIComponent('late-night')}`)).results.map((r: any) => r.id)).toEqual([ids.phrase]);
  });

  it('highlights matches in the headline and the snippet', async () => {
    const [first] = (await api('q=pilots')).results;
    expect(first.snippetHtml).toContain('<mark>pilots</mark>');
    expect(first.snippet).toContain('pilots');
    expect(first.snippet).not.toMatch(/[\uE000\uE001]/);
    const [h1] = (await api('q=sanctions')).results;
    expect(h1.headlineHtml).toBe('Harbor <mark>sanctions</mark> vote delayed');
    expect(h1.url).toMatch(/^http:\/\/localhost(:\d+)?\/politics\//);
    expect(h1.authors[0]).toMatchObject({ name: 'James Thompson' });
  });

  it('filters by section and by date range, in the site time zone', async () => {
    expect((await api('q=harbor&section=business')).results.map((r: any) => r.id)).toEqual([ids.body]);
    expect((await api('q=harbor&section=nope')).total).toBe(0);
    expect((await api('q=harbor&from=2026-11-02')).results.map((r: any) => r.id)).toEqual([ids.body]);
    expect((await api('q=harbor&to=2026-11-01')).results.map((r: any) => r.id)).toEqual([ids.headline]);
    expect((await api('q=harbor&from=2026-11-02&to=2026-11-19')).total).toBe(0);
  });

  it('paginates with a total count', async () => {
    const p1 = await h.app.inject('/api/v1/search?q=the');
    expect(p1.json().total).toBe(0);
    const all = await api('q=budget%20OR%20harbor');
    expect(all.total).toBe(0);
    const page2 = await api('q=harbor&page=2');
    expect(page2).toMatchObject({ total: 2, page: 2, pages: 1, results: [] });
  });

  it('keeps the index in step with publish, update, unpublish and scheduling', async () => {
    expect((await api('q=embargoed')).total).toBe(0);
    await publishDue(h.t.db, new Date(Date.now() + 2 * 3600_000));
    expect((await api('q=embargoed')).results.map((r: any) => r.id)).toEqual([ids.scheduled]);
    await setStatus(ids.scheduled, 'unpublished');
    expect((await api('q=embargoed')).total).toBe(0);
    await setStatus(ids.scheduled, 'published');
    expect((await api('q=embargoed')).total).toBe(1);
    await makeArticle(h.t.db, {
      slug: (await findArticleById(h.t.db, ids.scheduled))!.slug,
      headline: 'Renamed report',
      body: 'Fresh words.',
      published: new Date(Date.now() - 60_000),
    });
    expect((await api('q=embargoed')).total).toBe(0);
    expect((await api('q=fresh')).results.map((r: any) => r.id)).toEqual([ids.scheduled]);
    await setStatus(ids.scheduled, 'draft');
    expect((await api('q=fresh')).total).toBe(0);
    expect(await rebuildSearchIndex(h.t.db)).toBe(5);
    expect((await api('q=harbor')).total).toBe(2);
  });

  it('never fails on odd queries', async () => {
    for (const q of BAD_QUERIES) {
      const page = await h.app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: { accept: 'text/html' } });
      const json = await h.app.inject(`/api/v1/search?q=${encodeURIComponent(q)}`);
      if (q.includes('\u0000')) {
        // NUL characters are refused site-wide with a clear 400, never a 500.
        expect(page.statusCode, q).toBe(400);
        expect(json.statusCode, q).toBe(400);
        expect(json.json().error.message).toMatch(/NUL/);
        continue;
      }
      expect(page.statusCode, q).toBe(200);
      expect(json.statusCode, q).toBe(200);
      expect(json.json().total, q).toBeGreaterThanOrEqual(0);
    }
    const raw = await h.app.inject('/search?q=%E0%A4%A&section[]=x&from[a]=1');
    expect(raw.statusCode).toBeLessThan(500);
    expect((await h.app.inject('/api/v1/search?q=x&from=yesterday')).statusCode).toBe(400);
  });

  it('renders the search page: count, results, highlighted snippets, filters, empty state', async () => {
    const res = await h.app.inject({ url: '/search?q=harbor', headers: { accept: 'text/html' } });
    expect(res.body).toContain('2 results');
    expect(res.body).toContain('<mark>Harbor</mark>');
    expect(res.body).toContain('name="robots" content="noindex"');
    expect(res.body).toContain('<select id="search-section" name="section">');
    const none = await h.app.inject({ url: '/search?q=zebra&section=business', headers: { accept: 'text/html' } });
    expect(none.body).toContain('No articles match your search.');
    expect(none.body).toContain('href="/search?q=zebra"');
    const empty = await h.app.inject('/search');
    expect(empty.body).toContain('Type a word or two');
    const evil = await h.app.inject(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(evil.body).not.toContain('<script>alert');
    expect(evil.body).toContain('&lt;script>');
  });

  it('ranks related articles with the index', async () => {
    const target = (await findArticleById(h.t.db, ids.phrase))!;
    const related = await relatedArticles(h.t.db, target);
    expect(related.map((r) => r.id)[0]).toBe(ids.reverse);
    expect(related.map((r) => r.id)).not.toContain(ids.phrase);
    expect(related.map((r) => r.id)).not.toContain(ids.body);
    expect(related.every((r) => r.section.slug === 'politics')).toBe(true);
  });
});
