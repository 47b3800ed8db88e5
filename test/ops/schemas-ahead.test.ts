import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaRoute } from '../../src/lazy.js';
import { writesArticles } from '../../src/server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';

/**
 * Route schemas are compiled on a route's first call (a quick start); the routes that save and
 * publish articles are compiled ahead, while the server is idle, so an editor's first publish does
 * not compile them on the serving thread in front of the readers arriving meanwhile.
 */
describe('schemas compiled ahead of the first publish (sqlite)', () => {
  let h: TestApp;
  let editor: string;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(() => h.close());

  it('picks the routes that write articles, and only those', () => {
    expect(writesArticles({ method: 'POST', url: '/api/v1/articles' })).toBe(true);
    expect(writesArticles({ method: 'PATCH', url: '/api/v1/articles/:id' })).toBe(true);
    expect(writesArticles({ method: 'POST', url: '/admin/articles/:id' })).toBe(true);
    expect(writesArticles({ method: 'GET', url: '/api/v1/articles' })).toBe(false);
    expect(writesArticles({ method: 'POST', url: '/api/v1/articles/:id/comments' })).toBe(false);
    expect(writesArticles({ method: 'POST', url: '/api/v1/articlesx' })).toBe(false);
  });

  it('compiles the put-off schemas of those routes once, leaving the others for their first call', async () => {
    const compiled: SchemaRoute[] = [];
    const n = await h.app.compileSchemasAhead((route) => {
      const wanted = writesArticles(route);
      if (wanted) compiled.push(route);
      return wanted;
    });
    expect(n).toBe(compiled.length);
    const names = compiled.map((r) => `${r.method} ${r.url}`);
    // The body's validator and the answer's serializer of creating, and of patching.
    expect(names.filter((x) => x === 'POST /api/v1/articles').length).toBeGreaterThanOrEqual(2);
    expect(names).toContain('PATCH /api/v1/articles/:id');
    // Nothing of theirs is left; other routes still wait for their first call.
    expect(await h.app.compileSchemasAhead(writesArticles)).toBe(0);
    let reading = 0;
    await h.app.compileSchemasAhead((route) => {
      if (route.method === 'GET' && route.url === '/api/v1/articles') reading++;
      return false;
    });
    expect(reading).toBeGreaterThan(0);
  });

  it('publishes through the compiled schemas, which still refuse bad input with its field', async () => {
    const call = (payload: unknown) =>
      h.app.inject({ method: 'POST', url: '/api/v1/articles', headers: { authorization: `Bearer ${editor}` }, payload: payload as object });
    const bad = await call({ headline: 'Tide tables', section: 'Politics', body: 'Text.', status: 'sideways' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('status');
    const made = await call({ headline: 'Tide tables change', section: 'Politics', body: 'The **tide** turns.', status: 'published' });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ headline: 'Tide tables change', status: 'published' });
  });
});
