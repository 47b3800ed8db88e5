import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { apiCall, type Method } from './api.helpers.js';

describe.each(DIALECTS)('the sections JSON API on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  let editor: string;
  let writer: string;
  let moderator: string;
  let politicsId: number;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics', slug: 'budget-vote', headline: 'Budget vote' });
    [admin, editor, writer, moderator] = await Promise.all(
      (['admin', 'editor', 'writer', 'moderator'] as const).map((r) => makeToken(h.t.db, r)),
    );
    politicsId = (await h.t.db.selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => h.close());
  const call = (method: Method, url: string, token?: string, payload?: object) => apiCall(h.app, method, url, token, payload);

  it('lists sections to anyone, in navigation order', async () => {
    const res = await call('GET', '/api/v1/sections');
    expect(res.statusCode).toBe(200);
    expect(res.json().sections).toEqual([
      {
        id: politicsId,
        slug: 'politics',
        name: 'Politics',
        description: expect.any(String),
        position: expect.any(Number),
        url: '/politics',
      },
    ]);
  });

  it('lets only administrators create and change sections', async () => {
    const body = { name: 'Climate' };
    expect((await call('POST', '/api/v1/sections', undefined, body)).statusCode).toBe(401);
    expect((await call('POST', '/api/v1/sections', 'gz_not-a-token', body)).statusCode).toBe(401);
    for (const token of [editor, writer, moderator]) {
      const res = await call('POST', '/api/v1/sections', token, body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect((await call('PATCH', `/api/v1/sections/${politicsId}`, token, { name: 'X' })).statusCode).toBe(403);
    }
    expect((await call('PATCH', `/api/v1/sections/${politicsId}`, undefined, { name: 'X' })).statusCode).toBe(401);
    expect(await h.t.db.selectFrom('sections').select('slug').where('slug', '=', 'climate').executeTakeFirst()).toBeUndefined();
  });

  it('creates a section at the end of the navigation, with its event', async () => {
    const res = await call('POST', '/api/v1/sections', admin, { name: 'Climate Desk', description: 'Weather and warming.' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      slug: 'climate-desk',
      name: 'Climate Desk',
      description: 'Weather and warming.',
      url: '/climate-desk',
    });
    expect(res.headers.location).toBe(`/api/v1/sections/${created.id}`);
    const list = (await call('GET', '/api/v1/sections')).json().sections;
    expect(list.at(-1).slug).toBe('climate-desk');
    const event = await h.t.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'section.changed')
      .where('subject_id', '=', created.id)
      .executeTakeFirst();
    expect(event).toBeDefined();
    expect((await h.app.inject('/climate-desk')).statusCode).toBe(200);
  });

  it('answers 409 for a slug taken and 422 naming the field for bad input', async () => {
    const taken = await call('POST', '/api/v1/sections', admin, { name: 'Politics again', slug: 'politics' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', field: 'slug' });
    const reserved = await call('POST', '/api/v1/sections', admin, { name: 'Admin', slug: 'admin' });
    expect(reserved.statusCode).toBe(422);
    expect(reserved.json().error.field).toBe('slug');
    const badSlug = await call('POST', '/api/v1/sections', admin, { name: 'Bad', slug: 'Not A Slug' });
    expect(badSlug.statusCode).toBe(422);
    expect(badSlug.json().error.field).toBe('slug');
    const noName = await call('POST', '/api/v1/sections', admin, { description: 'Nameless' });
    expect(noName.statusCode).toBe(422);
    expect(noName.json().error.field).toBe('name');
    const longName = await call('POST', '/api/v1/sections', admin, { name: 'x'.repeat(81) });
    expect(longName.statusCode).toBe(422);
    expect(longName.json().error.field).toBe('name');
    const position = await call('POST', '/api/v1/sections', admin, { name: 'Late', position: -3 });
    expect(position.statusCode).toBe(422);
    expect(position.json().error.field).toBe('position');
    const typo = await call('POST', '/api/v1/sections', admin, { name: 'Wrong type', position: 'first' });
    expect(typo.statusCode).toBe(422);
    expect(typo.json().error.field).toBe('position');
  });

  it('renames and re-slugs a section: the old addresses answer 301, an unknown id 404', async () => {
    const res = await call('PATCH', `/api/v1/sections/${politicsId}`, admin, { name: 'Government', slug: 'government' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: politicsId, name: 'Government', slug: 'government', url: '/government' });
    const old = await h.app.inject('/politics');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/government');
    const article = await h.app.inject('/politics/budget-vote');
    expect(article.statusCode).toBe(301);
    expect(article.headers.location).toBe('/government/budget-vote');
    const description = await call('PATCH', `/api/v1/sections/${politicsId}`, admin, { description: 'Councils and parliaments.' });
    expect(description.json()).toMatchObject({ name: 'Government', description: 'Councils and parliaments.' });
    expect((await call('PATCH', '/api/v1/sections/987654', admin, { name: 'Ghost' })).statusCode).toBe(404);
    expect((await call('PATCH', '/api/v1/sections/abc', admin, { name: 'Ghost' })).statusCode).toBe(404);
    const clash = await call('PATCH', `/api/v1/sections/${politicsId}`, admin, { slug: 'climate-desk' });
    expect(clash.statusCode).toBe(409);
  });
});
