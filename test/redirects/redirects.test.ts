import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRedirect } from '../../src/redirects/redirect.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { patchArticle } from './redirect.helpers.js';

describe.each(DIALECTS)('URLs that never die on %s', (dialect) => {
  let h: TestApp;
  let editor: string;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });

  it('a slug change answers 301 from the old URL to the new one, query string kept', async () => {
    const a = await makeArticle(h.t.db, { slug: 'ferry-fares', section: 'Politics' });
    expect((await get('/politics/ferry-fares')).statusCode).toBe(200);
    const moved = await patchArticle(h.app, editor, a.id, { slug: 'ferry-fares-rise' });
    expect(moved.url).toBe('/politics/ferry-fares-rise');

    const old = await get('/politics/ferry-fares');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/politics/ferry-fares-rise');
    expect(old.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect((await get('/politics/ferry-fares?utm_source=mail')).headers.location).toBe('/politics/ferry-fares-rise?utm_source=mail');
    // The router ignores a trailing slash; so does the redirect.
    expect((await get('/politics/ferry-fares/')).headers.location).toBe('/politics/ferry-fares-rise');
    expect((await get('/politics/ferry-fares-rise')).statusCode).toBe(200);
  });

  it('a section change answers 301 (through the API and through gazette publish)', async () => {
    const a = await makeArticle(h.t.db, { slug: 'derby-day', section: 'Politics' });
    await patchArticle(h.app, editor, a.id, { section: 'Sport' });
    const res = await get('/politics/derby-day');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/sport/derby-day');

    // `gazette publish` keys articles by slug: the same file with another section moves it.
    const b = await makeArticle(h.t.db, { slug: 'harbor-plan', section: 'Politics' });
    await makeArticle(h.t.db, { slug: 'harbor-plan', section: 'Business' });
    const viaPublish = await get('/politics/harbor-plan');
    expect(viaPublish.statusCode).toBe(301);
    expect(viaPublish.headers.location).toBe('/business/harbor-plan');
    expect((await get('/business/harbor-plan')).statusCode).toBe(200);
    const rows = await h.t.db.selectFrom('redirects').selectAll().where('article_id', '=', b.id).execute();
    expect(rows.map((r) => [r.from_path, r.to_path])).toEqual([['/politics/harbor-plan', '/business/harbor-plan']]);
  });

  it('two moves: the first URL goes to the newest in one hop', async () => {
    const a = await makeArticle(h.t.db, { slug: 'tram-a', section: 'Politics' });
    await patchArticle(h.app, editor, a.id, { slug: 'tram-b' });
    await patchArticle(h.app, editor, a.id, { slug: 'tram-c', section: 'World' });
    for (const old of ['/politics/tram-a', '/politics/tram-b']) {
      const res = await get(old);
      expect(res.statusCode, old).toBe(301);
      expect(res.headers.location, old).toBe('/world/tram-c');
    }
    expect((await get('/world/tram-c')).statusCode).toBe(200);
  });

  it('moving back to an earlier slug serves the article there, and no loop is left', async () => {
    const a = await makeArticle(h.t.db, { slug: 'bridge-vote', section: 'Politics' });
    await patchArticle(h.app, editor, a.id, { slug: 'bridge-vote-delayed' });
    await patchArticle(h.app, editor, a.id, { slug: 'bridge-vote' });
    expect((await get('/politics/bridge-vote')).statusCode).toBe(200);
    const res = await get('/politics/bridge-vote-delayed');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/politics/bridge-vote');
    const from = await h.t.db.selectFrom('redirects').select('to_path').where('from_path', '=', '/politics/bridge-vote').execute();
    expect(from).toEqual([]);
  });

  it('a draft that never went live leaves no redirect when its slug changes', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ headline: 'Quiet draft', section: 'Politics', slug: 'quiet-draft', body: 'Text.', status: 'draft' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    await patchArticle(h.app, editor, created.json().id, { slug: 'quiet-draft-2' });
    expect((await get('/politics/quiet-draft')).statusCode).toBe(404);
  });

  it('an address of another shape redirects too (an importer’s old path), while live pages are never shadowed', async () => {
    await makeArticle(h.t.db, { slug: 'old-cms-story', section: 'Politics' });
    await h.t.db.transaction().execute((trx) => addRedirect(trx, { from: '/2019/05/old-cms-story/', to: '/politics/old-cms-story' }));
    const res = await get('/2019/05/old-cms-story');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/politics/old-cms-story');
    // A redirect from a live article's path is refused: it would never be used.
    await expect(
      h.t.db.transaction().execute((trx) => addRedirect(trx, { from: '/politics/old-cms-story', to: '/politics' })),
    ).rejects.toMatchObject({ status: 422, field: 'from' });
    // Adding X→A where A→C exists stores X→C.
    await h.t.db.transaction().execute((trx) => addRedirect(trx, { from: '/p/123', to: '/2019/05/old-cms-story' }));
    const row = await h.t.db.selectFrom('redirects').select('to_path').where('from_path', '=', '/p/123').executeTakeFirstOrThrow();
    expect(row.to_path).toBe('/politics/old-cms-story');
    // Staff and API paths are never looked up.
    expect((await h.app.inject({ url: '/api/v1/nothing-here' })).statusCode).toBe(404);
  });

  it('editors can read the list; writers cannot', async () => {
    const ed = await loginAs(h.app, h.t.db, 'editor');
    const list = await h.app.inject({ url: '/admin/redirects', headers: { cookie: ed.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('/politics/ferry-fares');
    expect(list.body).not.toContain('Add redirect');
    expect(list.body).not.toContain('/admin/redirects/');
    const wr = await loginAs(h.app, h.t.db, 'writer');
    expect((await h.app.inject({ url: '/admin/redirects', headers: { cookie: wr.cookie, accept: 'text/html' } })).statusCode).toBe(403);
  });
});
