import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CachedApp, cachedPaths, createCachedApp } from '../cache/cache.helpers.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { apiCall } from './api.helpers.js';

describe.each(DIALECTS)('writes through the API purge cached pages on %s', (dialect) => {
  let h: CachedApp;
  let admin: string;
  let editor: string;
  let pages: string[];
  beforeAll(async () => {
    h = await createCachedApp(dialect);
    const a = await makeArticle(h.t.db, {
      slug: 'tide-tables',
      headline: 'Tide tables',
      section: 'Science',
      authors: ['Ana Ruiz'],
      tags: ['Sea'],
    });
    await makeArticle(h.t.db, { slug: 'derby-day', headline: 'Derby day', section: 'Sport', authors: ['Bob Stone'], tags: ['Football'] });
    pages = ['/', '/science', '/sport', a.url, '/author/ana-ruiz', '/tag/sea'];
    admin = await makeToken(h.t.db, 'admin');
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const warm = async () => {
    await h.app.pageCache.sync();
    for (const p of pages) expect((await h.app.inject(p)).statusCode, p).toBe(200);
    expect(cachedPaths(h.app, pages)).toEqual(pages);
  };

  it('a section renamed through the API purges the pages that show it, as the newsroom does', async () => {
    await warm();
    const science = (await apiCall(h.app, 'GET', '/api/v1/sections')).json().sections.find((s: { slug: string }) => s.slug === 'science');
    const res = await apiCall(h.app, 'PATCH', `/api/v1/sections/${science.id}`, admin, { name: 'Science & Nature' });
    expect(res.statusCode, res.body).toBe(200);
    await h.app.pageCache.sync();
    expect(cachedPaths(h.app, pages)).toEqual([]);
    const page = await h.app.inject('/science');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Science &amp; Nature');
  });

  it('an author changed through the API purges that author’s pages', async () => {
    await warm();
    const ana = (await apiCall(h.app, 'GET', '/api/v1/authors?slug=ana-ruiz')).json().authors[0];
    const res = await apiCall(h.app, 'PATCH', `/api/v1/authors/${ana.id}`, editor, { bio: 'Writes about the sea.' });
    expect(res.statusCode, res.body).toBe(200);
    await h.app.pageCache.sync();
    expect(cachedPaths(h.app, pages)).not.toContain('/author/ana-ruiz');
    expect((await h.app.inject('/author/ana-ruiz')).body).toContain('Writes about the sea.');
  });
});
