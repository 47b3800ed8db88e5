import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/events.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags, text } from '../helpers/html.js';

const cardLinks = (html: string) => [...html.matchAll(/<h[23] class="card-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
const headLink = (html: string, rel: string) => tags(html.slice(0, html.indexOf('</head>')), 'link').find((l) => l.rel === rel)?.href;

describe.each(DIALECTS)('tag pages on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  let onlyOne: number;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    // 45 articles tagged "Harbour", all published at the same moment: only their ids order them.
    const at = new Date('2026-11-01T12:00:00.000Z');
    for (let i = 0; i < 45; i++) {
      await makeArticle(h.t.db, { headline: `Harbour ${i}`, section: i % 2 ? 'World' : 'Politics', tags: ['Harbour'], published: at });
    }
    onlyOne = (await makeArticle(h.t.db, { headline: 'Lonely', tags: ['Lonely'] })).id;
  });
  afterAll(() => h.close());

  it('walks older pages through articles published at the same moment: each once, newest id first', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/tag/harbour';
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      seen.push(...cardLinks(res.body));
      url = headLink(res.body, 'next');
      pages++;
    }
    expect(pages).toBe(3);
    const rows = await h.t.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.slug', 'sections.slug as section'])
      .where('headline', 'like', 'Harbour %')
      .orderBy('articles.id', 'desc')
      .execute();
    expect(seen).toEqual(rows.map((r) => `/${r.section}/${r.slug}`));
  });

  it('still serves ?page=N, and 404 past the end', async () => {
    const p3 = await get('/tag/harbour?page=3');
    expect(cardLinks(p3.body)).toHaveLength(5);
    expect(text(p3.body)).toContain('Page 3 of 3');
    expect((await get('/tag/harbour?page=4')).statusCode).toBe(404);
  });

  it('has no page once its last article is unpublished', async () => {
    expect((await get('/tag/lonely')).statusCode).toBe(200);
    await h.t.db.transaction().execute(async (trx) => {
      await trx.updateTable('articles').set({ status: 'unpublished' }).where('id', '=', onlyOne).execute();
      await recordEvent(trx, 'article.unpublished', onlyOne);
    });
    await h.app.pageCache.sync();
    expect((await get('/tag/lonely')).statusCode).toBe(404);
  });

  it('answers a damaged cursor with 400 and a forged but well-formed one with what is older', async () => {
    expect((await get('/tag/harbour?after=2026-11-01T12:00:00.000Z_-1')).statusCode).toBe(400);
    expect((await get('/tag/harbour?before=2026-11-01T12:00:00.000Z_99999999999')).statusCode).toBe(400);
    const forged = await get('/tag/harbour?before=2030-01-01T00:00:00.000Z_1');
    expect(forged.statusCode).toBe(200);
    expect(cardLinks(forged.body)).toHaveLength(20);
    expect(headLink(forged.body, 'prev')).toBeUndefined();
  });
});
