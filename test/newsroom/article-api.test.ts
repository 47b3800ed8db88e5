import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('the articles JSON API on %s', (dialect) => {
  let h: TestApp;
  let editor: string;
  let writer: string;
  let otherWriter: string;
  let moderator: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    // Five published articles an hour apart, two of them in Science, one tagged.
    for (let i = 0; i < 5; i++) {
      await makeArticle(h.t.db, {
        headline: `Listed ${i}`,
        slug: `listed-${i}`,
        section: i < 2 ? 'Science' : 'Politics',
        tags: i === 0 ? ['Comets'] : [],
        authors: [i === 4 ? 'Rosa Vance' : 'James Thompson'],
        published: new Date(Date.UTC(2026, 0, 1, i)),
      });
    }
    [editor, writer, otherWriter, moderator] = await Promise.all([
      makeToken(h.t.db, 'editor'),
      makeToken(h.t.db, 'writer'),
      makeToken(h.t.db, 'writer'),
      makeToken(h.t.db, 'moderator'),
    ]);
  });
  afterAll(() => h.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token?: string, payload?: object) =>
    h.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: payload as any });

  it('lists published articles newest first with filters and cursor pagination', async () => {
    const first = await call('GET', '/api/v1/articles?limit=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.articles.map((a: any) => a.slug)).toEqual(['listed-4', 'listed-3']);
    expect(page1.articles[0]).toMatchObject({ url: '/politics/listed-4', status: 'published', authors: ['Rosa Vance'], comments: 'open' });
    expect(page1.next_cursor).toEqual(expect.any(String));
    const second = (await call('GET', `/api/v1/articles?limit=2&cursor=${page1.next_cursor}`)).json();
    expect(second.articles.map((a: any) => a.slug)).toEqual(['listed-2', 'listed-1']);
    const third = (await call('GET', `/api/v1/articles?limit=2&cursor=${second.next_cursor}`)).json();
    expect(third.articles.map((a: any) => a.slug)).toEqual(['listed-0']);
    expect(third.next_cursor).toBeNull();
    expect((await call('GET', '/api/v1/articles?section=science')).json().articles.map((a: any) => a.slug)).toEqual([
      'listed-1',
      'listed-0',
    ]);
    expect((await call('GET', '/api/v1/articles?tag=comets')).json().articles.map((a: any) => a.slug)).toEqual(['listed-0']);
    expect((await call('GET', '/api/v1/articles?author=rosa-vance')).json().articles.map((a: any) => a.slug)).toEqual(['listed-4']);
    const bad = await call('GET', '/api/v1/articles?cursor=nonsense');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('cursor');
    expect((await call('GET', '/api/v1/articles?limit=1000')).statusCode).toBe(422);
  });

  it('needs a staff token to write, and refuses moderators', async () => {
    const body = { headline: 'No token', section: 'Politics', body: 'Text.' };
    expect((await call('POST', '/api/v1/articles', undefined, body)).statusCode).toBe(401);
    expect((await call('POST', '/api/v1/articles', moderator, body)).statusCode).toBe(403);
    expect((await call('PATCH', '/api/v1/articles/1', undefined, { headline: 'x' })).statusCode).toBe(401);
  });

  it('lets an editor token create, publish and patch, with 409 on a slug clash and 422 naming the field', async () => {
    const created = await call('POST', '/api/v1/articles', editor, {
      headline: 'Tidal power plant approved',
      standfirst: 'A first for the bay.',
      section: 'Energy',
      authors: ['Ana Ruiz', 'James Thompson'],
      tags: ['Energy', 'Harbor'],
      body: 'The **plant** will open in 2028.',
      status: 'published',
      comments: 'closed',
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({
      url: '/energy/tidal-power-plant-approved',
      status: 'published',
      authors: ['Ana Ruiz', 'James Thompson'],
      comments: 'closed',
    });
    expect(created.headers.location).toBe(`/api/v1/articles/${a.id}`);
    expect((await h.app.inject(a.url)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/articles/${a.id}`)).json().headline).toBe('Tidal power plant approved');

    const patched = await call('PATCH', `/api/v1/articles/${a.id}`, editor, { headline: 'Tidal plant approved', tags: ['Energy'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ headline: 'Tidal plant approved', tags: ['Energy'], status: 'published' });
    expect(patched.json().updated).not.toBeNull();
    const unpublished = await call('PATCH', `/api/v1/articles/${a.id}`, editor, { status: 'unpublished' });
    expect(unpublished.json().status).toBe('unpublished');
    expect((await call('GET', `/api/v1/articles/${a.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/articles/${a.id}`, editor)).statusCode).toBe(200);

    const clash = await call('POST', '/api/v1/articles', editor, { headline: 'Copy', slug: 'listed-1', section: 'Science', body: 'x' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'conflict', field: 'slug' });
    const missing = await call('POST', '/api/v1/articles', editor, { section: 'Science', body: 'x' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.field).toBe('headline');
    const badDate = await call('POST', '/api/v1/articles', editor, {
      headline: 'Bad date',
      section: 'Science',
      body: 'x',
      published: 'tomorrow',
    });
    expect(badDate.statusCode).toBe(422);
    expect(badDate.json().error.field).toBe('published');
    const badStatus = await call('PATCH', `/api/v1/articles/${a.id}`, editor, { status: 'gone' });
    expect(badStatus.statusCode).toBe(422);
    expect(badStatus.json().error.field).toBe('status');
    const noBody = await call('POST', '/api/v1/articles', editor, { headline: 'Empty', section: 'Science', body: '', status: 'published' });
    expect(noBody.statusCode).toBe(422);
    expect(noBody.json().error.field).toBe('body');
  });

  it('schedules when "published" is in the future', async () => {
    const when = new Date(Date.now() + 3600_000).toISOString();
    const res = await call('POST', '/api/v1/articles', editor, {
      headline: 'Embargoed report',
      section: 'Science',
      body: 'Later.',
      status: 'published',
      published: when,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'scheduled', published: when });
  });

  it('limits a writer token to its own drafts and the review step', async () => {
    const created = await call('POST', '/api/v1/articles', writer, { headline: 'Writer via API', section: 'Science', body: 'Draft text.' });
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a.status).toBe('draft');
    expect(
      (await call('POST', '/api/v1/articles', writer, { headline: 'Straight out', section: 'Science', body: 'x', status: 'published' }))
        .statusCode,
    ).toBe(403);
    expect((await call('POST', '/api/v1/articles', writer, { headline: 'New section', section: 'Gardening', body: 'x' })).statusCode).toBe(
      422,
    );
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, writer, { body: 'Better text.' })).statusCode).toBe(200);
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, writer, { status: 'published' })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, writer, { published: '2030-01-01T00:00:00Z' })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, otherWriter, { body: 'Hijack' })).statusCode).toBe(404);
    const review = await call('PATCH', `/api/v1/articles/${a.id}`, writer, { status: 'in_review' });
    expect(review.statusCode).toBe(200);
    expect(review.json().status).toBe('in_review');
    // An editor publishes it; then the writer can no longer change it.
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, editor, { status: 'published' })).json().status).toBe('published');
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, writer, { body: 'Too late' })).statusCode).toBe(403);
    // Published articles of others are readable by anyone, but not writable by writers.
    expect((await call('PATCH', '/api/v1/articles/1', writer, { body: 'x' })).statusCode).toBe(404);
  });

  it('describes every article route in the OpenAPI document', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/v1/articles'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/v1/articles/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
    const post = doc.paths['/api/v1/articles'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['headline', 'section', 'body']));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '409', '422']));
  });
});
