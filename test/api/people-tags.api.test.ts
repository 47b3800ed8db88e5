import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { apiCall, apiUpload, type Method } from './api.helpers.js';

describe.each(DIALECTS)('the authors and tags JSON API on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  let editor: string;
  let writer: string;
  let moderator: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics', slug: 'ferry-fares', authors: ['Ana Ruiz'], tags: ['Harbor', 'Budget'] });
    [admin, editor, writer, moderator] = await Promise.all(
      (['admin', 'editor', 'writer', 'moderator'] as const).map((r) => makeToken(h.t.db, r)),
    );
  });
  afterAll(() => h.close());
  const call = (method: Method, url: string, token?: string, payload?: object) => apiCall(h.app, method, url, token, payload);
  const eventsOf = (type: string, id: number) =>
    h.t.db.selectFrom('events').select('id').where('type', '=', type).where('subject_id', '=', id).execute();

  it('lists authors and tags to anyone, paged, and finds one by slug', async () => {
    const authors = await call('GET', '/api/v1/authors');
    expect(authors.statusCode).toBe(200);
    expect(authors.json()).toEqual({
      authors: [
        { id: expect.any(Number), slug: 'ana-ruiz', name: 'Ana Ruiz', bio: expect.any(String), photo: null, url: '/author/ana-ruiz' },
      ],
      next_page: null,
    });
    const tags = (await call('GET', '/api/v1/tags?limit=1')).json();
    expect(tags.tags.map((t: { name: string }) => t.name)).toEqual(['Budget']);
    expect(tags.next_page).toBe(2);
    const second = (await call('GET', '/api/v1/tags?limit=1&page=2')).json();
    expect(second).toEqual({ tags: [{ id: expect.any(Number), slug: 'harbor', name: 'Harbor', url: '/tag/harbor' }], next_page: null });
    expect((await call('GET', '/api/v1/tags?slug=harbor')).json().tags).toHaveLength(1);
    expect((await call('GET', '/api/v1/authors?slug=nobody')).json().authors).toEqual([]);
    const bad = await call('GET', '/api/v1/tags?limit=100000');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('limit');
  });

  it('lets editors and administrators write authors and tags; others get 403, no token 401', async () => {
    for (const [url, body] of [
      ['/api/v1/authors', { name: 'Refused Person' }],
      ['/api/v1/tags', { name: 'Refused' }],
    ] as const) {
      expect((await call('POST', url, undefined, body)).statusCode).toBe(401);
      expect((await call('PATCH', `${url}/1`, undefined, body)).statusCode).toBe(401);
      for (const token of [writer, moderator]) {
        expect((await call('POST', url, token, body)).statusCode).toBe(403);
        expect((await call('PATCH', `${url}/1`, token, body)).statusCode).toBe(403);
      }
    }
    expect(await h.t.db.selectFrom('tags').select('id').where('slug', '=', 'refused').executeTakeFirst()).toBeUndefined();
  });

  it('creates an author with a photo from the library, 409 for a slug taken, 422 for bad input', async () => {
    const upload = await apiUpload(
      h.app,
      editor,
      { alt: 'Rosa Vance' },
      { name: 'rosa.png', type: 'image/png', data: await makeImage({ width: 600, height: 600, format: 'png' }) },
    );
    expect(upload.statusCode, upload.body).toBe(201);
    const photoId = upload.json().id;
    const res = await call('POST', '/api/v1/authors', editor, { name: 'Rosa  Vance', bio: 'Covers the courts.', photo_id: photoId });
    expect(res.statusCode, res.body).toBe(201);
    const rosa = res.json();
    expect(rosa).toMatchObject({ name: 'Rosa Vance', slug: 'rosa-vance', bio: 'Covers the courts.', url: '/author/rosa-vance' });
    expect(rosa.photo).toMatchObject({ id: photoId, width: 600, height: 600, url: expect.stringMatching(/^\/media\/.+\.jpg$/) });
    expect(await eventsOf('person.changed', rosa.id)).toHaveLength(1);
    const taken = await call('POST', '/api/v1/authors', admin, { name: 'Rosa Vance' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', field: 'slug' });
    const ownSlug = await call('POST', '/api/v1/authors', admin, { name: 'Rosa Vance', slug: 'rosa-vance-2' });
    expect(ownSlug.statusCode).toBe(201);
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ bio: 'No name' }, 'name'],
      [{ name: 'Long Bio', bio: 'b'.repeat(2001) }, 'bio'],
      [{ name: 'Bad Slug', slug: 'Bad Slug!' }, 'slug'],
      [{ name: 'No Photo', photo_id: 999999 }, 'photo'],
      [{ name: 'Odd Photo', photo_id: 'seven' }, 'photo_id'],
    ] as const) {
      const bad = await call('POST', '/api/v1/authors', editor, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(422);
      expect(bad.json().error.field, JSON.stringify(body)).toBe(field);
    }
  });

  it('changes an author’s name, biography and photo; the address stays', async () => {
    const ana = (await call('GET', '/api/v1/authors?slug=ana-ruiz')).json().authors[0];
    const res = await call('PATCH', `/api/v1/authors/${ana.id}`, admin, { name: 'Ana María Ruiz', bio: 'Harbor and transport.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: ana.id, slug: 'ana-ruiz', name: 'Ana María Ruiz', bio: 'Harbor and transport.', photo: null });
    const page = await h.app.inject('/politics/ferry-fares');
    expect(page.body).toContain('Ana María Ruiz');
    expect((await call('PATCH', `/api/v1/authors/${ana.id}`, admin, { bio: 'x'.repeat(2001) })).statusCode).toBe(422);
    expect((await call('PATCH', '/api/v1/authors/999999', admin, { bio: 'Nobody' })).statusCode).toBe(404);
    const rosa = (await call('GET', '/api/v1/authors?slug=rosa-vance')).json().authors[0];
    const removed = await call('PATCH', `/api/v1/authors/${rosa.id}`, editor, { photo_id: null });
    expect(removed.json()).toMatchObject({ name: 'Rosa Vance', photo: null });
  });

  it('creates tags (409 for a name taken) and renames them with a 301 from the old page', async () => {
    const res = await call('POST', '/api/v1/tags', editor, { name: '  City   Hall ' });
    expect(res.statusCode, res.body).toBe(201);
    const tag = res.json();
    expect(tag).toMatchObject({ name: 'City Hall', slug: 'city-hall', url: '/tag/city-hall' });
    expect(await eventsOf('tag.changed', tag.id)).toHaveLength(1);
    const taken = await call('POST', '/api/v1/tags', admin, { name: 'city hall' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', field: 'name' });
    for (const body of [{ name: '' }, { name: '   ' }, { name: 't'.repeat(81) }, {}]) {
      const bad = await call('POST', '/api/v1/tags', editor, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(422);
      expect(bad.json().error.field).toBe('name');
    }
    const harbor = (await call('GET', '/api/v1/tags?slug=harbor')).json().tags[0];
    const renamed = await call('PATCH', `/api/v1/tags/${harbor.id}`, editor, { name: 'Waterfront' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: harbor.id, name: 'Waterfront', slug: 'waterfront' });
    const old = await h.app.inject('/tag/harbor');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/tag/waterfront');
    const clash = await call('PATCH', `/api/v1/tags/${harbor.id}`, editor, { name: 'Budget' });
    expect(clash.statusCode).toBe(409);
    expect((await call('PATCH', '/api/v1/tags/999999', editor, { name: 'Nothing' })).statusCode).toBe(404);
  });
});
