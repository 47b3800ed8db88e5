import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleStatus } from '../../src/articles/article.table.js';
import { ensurePerson } from '../../src/authors/person.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';
import { element, tags, text } from '../helpers/html.js';

const cardLinks = (html: string) => [...html.matchAll(/<h[23] class="card-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
const headLink = (html: string, rel: string) => tags(html.slice(0, html.indexOf('</head>')), 'link').find((l) => l.rel === rel)?.href;
const count = (html: string) => text(element(html, 'p', 'class="count"'));

describe.each(DIALECTS)('author pages on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  const ids: number[] = [];

  /** Changes an article's status the way publishing does, then lets the page cache purge. */
  const setStatus = async (id: number, status: ArticleStatus) => {
    await setArticleStatus(h.t.db, id, status);
    await h.app.pageCache.sync();
  };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    // 23 articles by Pat Page, two at each time; every third one co-written with Ana Ruiz.
    for (let i = 0; i < 23; i++) {
      const published = new Date(Date.parse('2026-11-01T12:00:00.000Z') - Math.floor(i / 2) * 60_000);
      const authors = i % 3 === 0 ? ['Ana Ruiz', 'Pat Page'] : ['Pat Page'];
      ids.push((await makeArticle(h.t.db, { headline: `By Pat ${i}`, authors, published })).id);
    }
    await h.t.db.transaction().execute((trx) => ensurePerson(trx, { name: 'Quiet Writer' }));
  });
  afterAll(() => h.close());

  it('shows the exact count on every page, and walks older pages to the end', async () => {
    const first = await get('/author/pat-page');
    expect(count(first.body)).toBe('23 articles');
    expect(cardLinks(first.body)).toHaveLength(20);
    const older = headLink(first.body, 'next') as string;
    expect(older).toMatch(/^\/author\/pat-page\?before=/);
    const second = await get(older);
    expect(count(second.body)).toBe('23 articles');
    expect(cardLinks(second.body)).toHaveLength(3);
    expect(new Set([...cardLinks(first.body), ...cardLinks(second.body)]).size).toBe(23);
    expect(headLink(second.body, 'prev')).toBe('/author/pat-page');
    expect(headLink(second.body, 'next')).toBeUndefined();
    expect(headLink(second.body, 'canonical')).toBe(`http://localhost:80${older}`);
    const ana = await get('/author/ana-ruiz');
    expect(count(ana.body)).toBe('8 articles');
    expect(headLink(ana.body, 'next')).toBeUndefined();
    expect((await get('/author/pat-page?page=2')).statusCode).toBe(200);
    expect((await get('/author/pat-page?page=3')).statusCode).toBe(404);
  });

  it('keeps the count right when an article is unpublished and published again', async () => {
    await setStatus(ids[0], 'unpublished');
    const pat = await get('/author/pat-page');
    expect(count(pat.body)).toBe('22 articles');
    expect(count((await get('/author/ana-ruiz')).body)).toBe('7 articles');
    expect(cardLinks(pat.body)).toHaveLength(20);
    expect(headLink(pat.body, 'next')).toBeDefined();
    await setStatus(ids[0], 'published');
    expect(count((await get('/author/pat-page')).body)).toBe('23 articles');
    expect(count((await get('/author/ana-ruiz')).body)).toBe('8 articles');
  });

  it('an author with nothing published: the page, a zero count, no page links', async () => {
    const res = await get('/author/quiet-writer');
    expect(res.statusCode).toBe(200);
    expect(count(res.body)).toBe('0 articles');
    expect(res.body).toContain('No published articles yet.');
    expect(res.body).not.toContain('class="pagination"');
  });

  it('answers a damaged cursor with 400', async () => {
    const res = await get('/author/pat-page?before=yesterday_3');
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('is not a place in the list');
  });
});
