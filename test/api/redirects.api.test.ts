import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { apiCall, type Method } from './api.helpers.js';

describe.each(DIALECTS)('the redirects JSON API on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  let editor: string;
  let writer: string;
  let moderator: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics', slug: 'council-budget' });
    [admin, editor, writer, moderator] = await Promise.all(
      (['admin', 'editor', 'writer', 'moderator'] as const).map((r) => makeToken(h.t.db, r)),
    );
  });
  afterAll(() => h.close());
  const call = (method: Method, url: string, token?: string, payload?: object) => apiCall(h.app, method, url, token, payload);

  it('is for administrators only', async () => {
    const body = { from: '/old-page', to: '/politics' };
    for (const [method, url] of [
      ['GET', '/api/v1/redirects'],
      ['POST', '/api/v1/redirects'],
      ['DELETE', '/api/v1/redirects/1'],
    ] as const) {
      const payload = method === 'POST' ? body : undefined;
      expect((await call(method, url, undefined, payload)).statusCode, `${method} anonymous`).toBe(401);
      for (const token of [editor, writer, moderator]) {
        const res = await call(method, url, token, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    }
  });

  it('adds an old WordPress-style address: 201, and the old address answers 301', async () => {
    const res = await call('POST', '/api/v1/redirects', admin, { from: '/2019/05/12/council-budget/', to: '/politics/council-budget' });
    expect(res.statusCode, res.body).toBe(201);
    const row = res.json();
    expect(row).toMatchObject({
      id: expect.any(Number),
      from: expect.stringMatching(/^\/2019\/05\/12\/council-budget/),
      to: '/politics/council-budget',
      article_id: null,
    });
    const old = await h.app.inject('/2019/05/12/council-budget/');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/politics/council-budget');
    const event = await h.t.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'redirect.changed')
      .where('subject_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload).by).toEqual(expect.any(String));
    const query = await call('POST', '/api/v1/redirects', admin, { from: '/archives/123', to: '/politics/council-budget?from=archive' });
    expect(query.statusCode, query.body).toBe(201);
    expect(query.json().to).toBe('/politics/council-budget?from=archive');
  });

  it('lists redirects, newest first, searchable and paged', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call('POST', '/api/v1/redirects', admin, { from: `/archive/item-${i}`, to: '/politics' })).statusCode).toBe(201);
    }
    const res = await call('GET', '/api/v1/redirects?q=archive/item&limit=2', admin);
    expect(res.statusCode).toBe(200);
    const page1 = res.json();
    expect(page1.redirects.map((r: { from: string }) => r.from)).toHaveLength(2);
    expect(page1.next_page).toBe(2);
    const page2 = (await call('GET', '/api/v1/redirects?q=archive/item&limit=2&page=2', admin)).json();
    expect(page2.redirects).toHaveLength(1);
    expect(page2.next_page).toBeNull();
    const all = [...page1.redirects, ...page2.redirects].map((r: { from: string }) => r.from).sort();
    expect(all).toEqual(['/archive/item-0', '/archive/item-1', '/archive/item-2']);
    expect((await call('GET', '/api/v1/redirects?limit=0', admin)).statusCode).toBe(422);
  });

  it('refuses loops and bad paths with 422, an old path already redirected elsewhere with 409', async () => {
    expect((await call('POST', '/api/v1/redirects', admin, { from: '/a-first', to: '/a-second' })).statusCode).toBe(201);
    const loop = await call('POST', '/api/v1/redirects', admin, { from: '/a-second', to: '/a-first' });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().error).toMatchObject({ code: 'loop', field: 'to' });
    const self = await call('POST', '/api/v1/redirects', admin, { from: '/same', to: '/same' });
    expect(self.statusCode).toBe(422);
    const external = await call('POST', '/api/v1/redirects', admin, { from: '/x-old', to: 'https://elsewhere.example/page' });
    expect(external.statusCode).toBe(422);
    expect(external.json().error.field).toBe('to');
    const live = await call('POST', '/api/v1/redirects', admin, { from: '/politics/council-budget', to: '/politics' });
    expect(live.statusCode).toBe(422);
    expect(live.json().error.field).toBe('from');
    const missing = await call('POST', '/api/v1/redirects', admin, { from: '/only-from' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.field).toBe('to');
    const taken = await call('POST', '/api/v1/redirects', admin, { from: '/a-first', to: '/politics' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', field: 'from' });
  });

  it('deletes a redirect: 204, then the old address is gone, and 404 the second time', async () => {
    const created = (await call('POST', '/api/v1/redirects', admin, { from: '/to-delete', to: '/politics' })).json();
    expect((await h.app.inject('/to-delete')).statusCode).toBe(301);
    const res = await call('DELETE', `/api/v1/redirects/${created.id}`, admin);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await h.app.inject('/to-delete')).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/redirects/${created.id}`, admin)).statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/redirects/abc', admin)).statusCode).toBe(404);
  });
});
