import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeTags, renameTag, updateSection } from '../../src/newsroom/structure.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('moved sections and tags keep their addresses on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(() => h.close());

  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  const section = (slug: string) => h.t.db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
  const tag = (slug: string) => h.t.db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

  it('a section given another slug redirects its page and every article under it', async () => {
    await makeArticle(h.t.db, { slug: 'tide-tables', section: 'Coast' });
    const coast = await section('coast');
    const rename = (slug: string) =>
      h.t.db
        .transaction()
        .execute((trx) => updateSection(trx, coast.id, { name: coast.name, slug, description: '', position: coast.position }));

    await rename('shore');
    const page = await get('/coast?page=2');
    expect(page.statusCode).toBe(301);
    expect(page.headers.location).toBe('/shore?page=2');
    const article = await get('/coast/tide-tables');
    expect(article.statusCode).toBe(301);
    expect(article.headers.location).toBe('/shore/tide-tables');
    expect((await get('/shore/tide-tables')).statusCode).toBe(200);
    expect((await get('/coast/no-such-article')).headers.location).toBe('/shore/no-such-article');
    expect((await get('/shore/no-such-article')).statusCode).toBe(404);

    // Twice: the first address leads to the newest in one hop; back again: no loop.
    await rename('seaside');
    expect((await get('/coast/tide-tables')).headers.location).toBe('/seaside/tide-tables');
    expect((await get('/shore')).headers.location).toBe('/seaside');
    await rename('coast');
    expect((await get('/coast/tide-tables')).statusCode).toBe(200);
    expect((await get('/coast')).statusCode).toBe(200);
    expect((await get('/seaside/tide-tables')).headers.location).toBe('/coast/tide-tables');
    expect((await get('/shore')).headers.location).toBe('/coast');
  });

  it('a renamed or merged tag redirects its page', async () => {
    await makeArticle(h.t.db, { slug: 'bridge-vote', tags: ['Bridges', 'Roads'] });
    const bridges = await tag('bridges');
    await h.t.db.transaction().execute((trx) => renameTag(trx, bridges.id, 'Bridge Works'));
    const renamed = await get('/tag/bridges');
    expect(renamed.statusCode).toBe(301);
    expect(renamed.headers.location).toBe('/tag/bridge-works');
    expect((await get('/tag/bridge-works')).statusCode).toBe(200);

    const [roads, works] = await Promise.all([tag('roads'), tag('bridge-works')]);
    await h.t.db.transaction().execute((trx) => mergeTags(trx, roads.id, works.id));
    const merged = await get('/tag/roads');
    expect(merged.statusCode).toBe(301);
    expect(merged.headers.location).toBe('/tag/bridge-works');
  });
});
