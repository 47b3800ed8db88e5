import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { element, tags, text } from '../helpers/html.js';

const cardLinks = (html: string) => [...html.matchAll(/<h[23] class="card-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
const headLinks = (html: string, rel: string) =>
  tags(html.slice(0, html.indexOf('</head>')), 'link')
    .filter((l) => l.rel === rel)
    .map((l) => l.href);

describe.each(DIALECTS)('home, section, author and tag pages on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  let coauthored: string;
  let newestWorld: string;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    // 41 World articles by Pat Page tagged "Paged": three pages of 20, 20 and 1.
    for (let i = 0; i < 41; i++) {
      const a = await makeArticle(h.t.db, {
        headline: `World story ${i}`,
        section: 'World',
        authors: ['Pat Page'],
        tags: ['Paged'],
        published: at(100 + i),
      });
      if (i === 0) newestWorld = a.slug;
    }
    const c = await makeArticle(h.t.db, {
      headline: 'Co-written budget analysis',
      authors: ['Ana Ruiz', 'James Thompson'],
      tags: ['Budget'],
      published: at(5),
    });
    coauthored = c.slug;
    await makeArticle(h.t.db, { headline: 'Solo politics piece', authors: ['James Thompson'], published: at(50) });
    await makeArticle(h.t.db, { headline: 'Science item', section: 'Science', authors: ['Ana Ruiz'], published: at(60) });
  });
  afterAll(() => h.close());

  it('home: the lead story, then the latest, then each section', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const lead = element(res.body, 'article', 'class="lead"');
    expect(text(lead)).toContain('Co-written budget analysis');
    const latest = text(element(res.body, 'section', 'class="latest"'));
    expect(latest).toContain('Solo politics piece');
    expect(latest).toContain('Science item');
    // Section blocks show what the top of the page did not already show.
    expect(res.body).toContain('>World</a></h2>');
    expect(cardLinks(res.body).filter((l) => l.startsWith('/world/')).length).toBeGreaterThanOrEqual(4);
    expect(new Set(cardLinks(res.body)).size).toBe(cardLinks(res.body).length);
    expect(res.body).toContain('<title>The Gazette — ');
    // Navigation lists every section.
    const nav = element(res.body, 'nav', 'class="sections-nav"');
    expect(tags(nav, 'a').map((a) => a.href)).toEqual(expect.arrayContaining(['/politics', '/world', '/science']));
  });

  it('section page: its articles, newest first, 20 a page with rel=prev/next', async () => {
    const p1 = await get('/world');
    expect(p1.statusCode).toBe(200);
    expect(p1.body).toContain('<h1>World</h1>');
    const links1 = cardLinks(p1.body);
    expect(links1).toHaveLength(20);
    expect(links1[0]).toBe(`/world/${newestWorld}`);
    expect(links1.every((l) => l.startsWith('/world/'))).toBe(true);
    expect(headLinks(p1.body, 'prev')).toEqual([]);
    // "Older stories" carries a cursor: the publication time and id of the page's last article.
    const older = headLinks(p1.body, 'next');
    expect(older).toEqual([expect.stringMatching(/^\/world\?before=\d{4}-\d\d-\d\dT[\d:.]+Z_\d+$/)]);
    expect(tags(element(p1.body, 'nav', 'class="pagination"'), 'a')).toEqual([{ href: older[0], rel: 'next' }]);
    expect(p1.body).toContain('aria-current="page"');

    const p2 = await get('/world?page=2');
    const links2 = cardLinks(p2.body);
    expect(links2).toHaveLength(20);
    expect(links2.some((l) => links1.includes(l))).toBe(false);
    expect(headLinks(p2.body, 'prev')).toEqual(['/world']);
    expect(headLinks(p2.body, 'next')).toEqual([expect.stringMatching(/^\/world\?before=/)]);
    expect(cardLinks((await get(older[0])).body)).toEqual(links2);
    expect(tags(p2.body, 'link').find((l) => l.rel === 'canonical')?.href).toBe('http://localhost:80/world?page=2');

    const p3 = await get('/world?page=3');
    expect(cardLinks(p3.body)).toHaveLength(1);
    expect(headLinks(p3.body, 'next')).toEqual([]);
    expect(headLinks(p3.body, 'prev')).toEqual([expect.stringMatching(/^\/world\?after=/)]);
    expect(text(p3.body)).toContain('Page 3 of 3');

    expect((await get('/world?page=4')).statusCode).toBe(404);
    expect((await get('/world?page=nonsense')).statusCode).toBe(200);
  });

  it('author page: bio, count and articles, including co-written ones', async () => {
    const ana = await get('/author/ana-ruiz');
    expect(ana.statusCode).toBe(200);
    expect(ana.body).toContain('<h1>Ana Ruiz</h1>');
    expect(text(ana.body)).toContain('2 articles');
    expect(cardLinks(ana.body)).toEqual([`/politics/${coauthored}`, expect.stringMatching(/^\/science\//)]);
    const james = await get('/author/james-thompson');
    expect(cardLinks(james.body)).toEqual([`/politics/${coauthored}`, expect.stringMatching(/^\/politics\//)]);
    // A co-written article names both authors, in order, each a link.
    const card = element(james.body, 'p', 'class="card-meta"');
    expect(tags(card, 'a').map((a) => a.href)).toEqual(['/author/ana-ruiz', '/author/james-thompson']);
    expect(text(card)).toMatch(/^Ana Ruiz and James Thompson/);
  });

  it('author and tag pages paginate too', async () => {
    const author = await get('/author/pat-page?page=2');
    expect(cardLinks(author.body)).toHaveLength(20);
    expect(headLinks(author.body, 'prev')).toEqual(['/author/pat-page']);
    expect(headLinks(author.body, 'next')).toEqual([expect.stringMatching(/^\/author\/pat-page\?before=/)]);
    expect((await get('/author/pat-page?page=4')).statusCode).toBe(404);
    const tag = await get('/tag/paged');
    expect(tag.statusCode).toBe(200);
    expect(tag.body).toContain('<h1>Paged</h1>');
    expect(cardLinks(tag.body)).toHaveLength(20);
    expect(headLinks(tag.body, 'next')).toEqual([expect.stringMatching(/^\/tag\/paged\?before=/)]);
    expect((await get('/tag/paged?page=3')).statusCode).toBe(200);
    expect((await get('/tag/paged?page=4')).statusCode).toBe(404);
  });

  it('article page: byline with every author, tags linking to tag pages', async () => {
    const res = await get(`/politics/${coauthored}`);
    expect(res.statusCode).toBe(200);
    const byline = element(res.body, 'p', 'class="byline"');
    expect(tags(byline, 'a').map((a) => a.href)).toEqual(['/author/ana-ruiz', '/author/james-thompson']);
    expect(tags(element(res.body, 'nav', 'class="tags"'), 'a')).toEqual([{ href: '/tag/budget', rel: 'tag' }]);
    expect(text(byline)).toContain('1 min read');
  });

  it('answers unknown sections, articles, authors and tags with the helpful 404 page', async () => {
    for (const url of [
      '/nowhere',
      '/politics/no-such-article',
      `/world/${coauthored}`,
      '/author/nobody',
      '/tag/nothing',
      '/nowhere/at-all',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('We can’t find that page');
      expect(res.body).toContain('<meta name="robots" content="noindex"/>');
      expect(tags(element(res.body, 'ul', 'class="section-links"'), 'a').map((a) => a.href)).toContain('/world');
    }
  });

  it('answers 404 without leaking anything for odd paths', async () => {
    for (const url of ['/%E0%A4%A', '/politics/../../etc/passwd', '/a/b/c/d']) {
      const res = await get(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body).not.toMatch(/at .*\.ts:\d+|stack/i);
    }
  });
});
