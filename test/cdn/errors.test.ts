import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';

describe.each(DIALECTS)('what caches in front may keep of error answers on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect, (app) => {
      app.get('/test-failure', async (_request, reply) => {
        reply.header('Cache-Control', 'public, max-age=600');
        throw new Error('database on fire');
      });
    });
  });
  afterAll(() => h.close());

  it('keeps a missing page for 10 seconds', async () => {
    for (const url of ['/no-such-page', '/politics/no-such-story', '/api/v1/no-such-endpoint']) {
      const res = await h.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['cache-control']).toBe('public, max-age=10');
    }
  });

  it('never lets a shared cache keep a missing page asked for with a token', async () => {
    const res = await h.app.inject({ url: '/no-such-page', headers: { accept: 'text/html', authorization: 'Bearer nonsense' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control']).not.toContain('public');
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('never keeps a failure, even where the route had said public', async () => {
    for (const accept of ['text/html', 'application/json']) {
      const res = await h.app.inject({ url: '/test-failure', headers: { accept } });
      expect(res.statusCode).toBe(500);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).not.toContain('database on fire');
    }
  });

  it('never keeps an answer to a bad request', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/politics/no-such-story/comments',
      headers: { accept: 'text/html' },
      payload: {},
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['cache-control']).toContain('no-store');
  });
});
