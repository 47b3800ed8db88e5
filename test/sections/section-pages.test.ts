import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { element, tags, text } from '../helpers/html.js';

const cardLinks = (html: string) => [...html.matchAll(/<h[23] class="card-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
const head = (html: string) => html.slice(0, html.indexOf('</head>'));
const headLink = (html: string, rel: string) => tags(head(html), 'link').find((l) => l.rel === rel)?.href;
const navLinks = (html: string) => tags(element(html, 'nav', 'class="pagination"'), 'a');

describe.each(DIALECTS)('section pages on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  /** Article paths, newest first; three share each publication time. */
  const expected: string[] = [];

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const made: { url: string; at: number; id: number }[] = [];
    for (let i = 0; i < 47; i++) {
      const at = Date.parse('2026-11-01T12:00:00.000Z') - Math.floor(i / 3) * 3_600_000;
      const a = await makeArticle(h.t.db, { headline: `Story ${i}`, section: 'World', published: new Date(at) });
      made.push({ url: a.url, at, id: a.id });
    }
    await makeArticle(h.t.db, { headline: 'Elsewhere', section: 'Science' });
    made.sort((a, b) => b.at - a.at || b.id - a.id);
    expected.push(...made.map((m) => m.url));
  });
  afterAll(() => h.close());

  it('walks "Older stories" from the first page to the last: every article once, newest first', async () => {
    const seen: string[] = [];
    const pages: string[] = [];
    let url: string | undefined = '/world';
    while (url) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      pages.push(url);
      seen.push(...cardLinks(res.body));
      // The head links and the links under the list agree; the canonical URL is the page's own.
      const next = headLink(res.body, 'next');
      expect(navLinks(res.body).find((a) => a.rel === 'next')?.href).toBe(next);
      expect(headLink(res.body, 'canonical')).toBe(`http://localhost:80${url}`);
      url = next;
    }
    expect(pages).toHaveLength(3);
    expect(pages[1]).toMatch(/^\/world\?before=2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z_\d+$/);
    expect(seen).toEqual(expected);
    const last = await get(pages[2]);
    expect(cardLinks(last.body)).toHaveLength(7);
    expect(text(element(last.body, 'nav', 'class="pagination"'))).toMatch(/← Newer stories .+ – .+/);
    expect(navLinks(last.body).map((a) => a.rel)).toEqual(['prev']);
    // "Newer stories" from the last page leads to the second, and from the second to the first page.
    const second = headLink(last.body, 'prev') as string;
    expect(second).toContain('?after=');
    const back = await get(second);
    expect(cardLinks(back.body)).toEqual(expected.slice(20, 40));
    expect(headLink(back.body, 'prev')).toBe('/world');
    expect(headLink(back.body, 'next')).toBe(pages[2]);
  });

  it('the first page: no newer link, "Page 1 of 3", the plain title', async () => {
    const res = await get('/world');
    expect(headLink(res.body, 'prev')).toBeUndefined();
    expect(navLinks(res.body)).toEqual([{ href: headLink(res.body, 'next'), rel: 'next' }]);
    expect(text(element(res.body, 'nav', 'class="pagination"'))).toContain('Page 1 of 3');
    expect(res.body).toContain('<title>World — The Gazette</title>');
  });

  it('still serves ?page=N links, counted from the top', async () => {
    const p2 = await get('/world?page=2');
    expect(p2.statusCode).toBe(200);
    expect(cardLinks(p2.body)).toEqual(expected.slice(20, 40));
    expect(headLink(p2.body, 'canonical')).toBe('http://localhost:80/world?page=2');
    expect(headLink(p2.body, 'prev')).toBe('/world');
    expect(headLink(p2.body, 'next')).toMatch(/^\/world\?before=/);
    expect(p2.body).toContain('<title>World (page 2) — The Gazette</title>');
    const p3 = await get('/world?page=3');
    expect(cardLinks(p3.body)).toEqual(expected.slice(40));
    expect(text(p3.body)).toContain('Page 3 of 3');
    expect(headLink(p3.body, 'prev')).toMatch(/^\/world\?after=/);
    expect((await get('/world?page=4')).statusCode).toBe(404);
    expect((await get('/world?page=999999')).statusCode).toBe(404);
    for (const odd of ['/world?page=nonsense', '/world?page=0', '/world?page=-2', '/world?page=1']) {
      const res = await get(odd);
      expect(res.statusCode, odd).toBe(200);
      expect(cardLinks(res.body), odd).toEqual(expected.slice(0, 20));
    }
  });

  it('answers a damaged cursor with a clear 400, as a page or as JSON', async () => {
    for (const q of [
      'before=garbage',
      'before=',
      'after=2026-11-01T12:00:00.000Z',
      'before=2026-11-01T12:00:00.000Z_abc',
      'before=2026-11-01T12%3A00%3A00.000Z_1%27%20OR%201%3D1',
      'before=2026-11-01T12:00:00.000Z_1&before=2026-11-01T12:00:00.000Z_2',
      'before=2026-11-01T12:00:00.000Z_1&after=2026-11-01T12:00:00.000Z_2',
    ]) {
      const res = await get(`/world?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(text(res.body)).toMatch(/not a place in the list|not both/);
      expect(res.body).toContain('<meta name="robots" content="noindex"/>');
    }
    const json = await h.app.inject('/world?after=bogus');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('"after"'), field: 'after' } });
  });

  it('answers a cursor past the end with 404, and a newer page that is the first with the first page', async () => {
    // The oldest: Story 45 (it shares its time with Story 46, and has the lower id).
    const last = await h.t.db
      .selectFrom('articles')
      .select(['id', 'slug', 'published_at'])
      .where('headline', '=', 'Story 45')
      .executeTakeFirstOrThrow();
    expect(expected.at(-1)).toBe(`/world/${last.slug}`);
    expect((await get(`/world?before=${last.published_at}_${last.id}`)).statusCode).toBe(404);
    const top = await h.t.db
      .selectFrom('articles')
      .select(['id', 'published_at'])
      .where('headline', '=', 'Story 4')
      .executeTakeFirstOrThrow();
    const res = await get(`/world?after=${top.published_at}_${top.id}`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/world');
  });
});
