import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';

describe.each(DIALECTS)('the webhooks API on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await makeToken(h.t.db, 'admin');
  });
  afterAll(() => h.close());
  afterEach(() => {
    process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';
  });

  const post = (payload: unknown, token = admin) =>
    h.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${token}` }, payload: payload as object });

  it('registers an endpoint: 201 with id, url, events and a whsec_ secret; lists, reads and deletes it', async () => {
    const res = await post({ url: 'http://127.0.0.1:9/hook', events: ['article.published', 'comment.submitted'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['article.published', 'comment.submitted'] });
    expect(Number.isInteger(body.id)).toBe(true);
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const auth = { authorization: `Bearer ${admin}` };
    const list = await h.app.inject({ url: '/api/v1/webhooks', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().webhooks.map((w: { id: number }) => w.id)).toContain(body.id);
    // The secret is shown once, when made.
    expect(list.body).not.toContain(body.secret);
    const one = await h.app.inject({ url: `/api/v1/webhooks/${body.id}`, headers: auth });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: body.id, url: body.url, events: body.events, enabled: true });
    expect(one.json().secret).toBeUndefined();

    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${body.id}`, headers: auth });
    expect(del.statusCode).toBe(204);
    expect((await h.app.inject({ url: `/api/v1/webhooks/${body.id}`, headers: auth })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${body.id}`, headers: auth })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/webhooks/abc', headers: auth })).statusCode).toBe(404);
  });

  it('refuses other roles with 403 and no token with 401', async () => {
    for (const role of ['editor', 'writer', 'moderator'] as const) {
      const token = await makeToken(h.t.db, role);
      expect((await post({ url: 'http://127.0.0.1:9/x', events: ['article.published'] }, token)).statusCode).toBe(403);
      expect((await h.app.inject({ url: '/api/v1/webhooks', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
      expect(
        (await h.app.inject({ method: 'DELETE', url: '/api/v1/webhooks/1', headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(403);
    }
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'http://x.test', events: [] } })).statusCode,
    ).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/webhooks' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/webhooks/1' })).statusCode).toBe(401);
  });

  it('answers 422 with a message for an unknown event, no events, or a bad address', async () => {
    const unknown = await post({ url: 'http://127.0.0.1:9/hook', events: ['article.published', 'article.deleted'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'invalid', field: 'events' });
    expect(unknown.json().error.message).toContain('article.deleted');
    expect((await post({ url: 'http://127.0.0.1:9/hook', events: [] })).statusCode).toBe(422);
    for (const url of ['ftp://example.org/x', 'not a url', 'https://user:pass@example.org/hook', '']) {
      const res = await post({ url, events: ['article.published'] });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.field).toBe('url');
    }
    expect((await post({ url: 'http://127.0.0.1:9/hook' })).statusCode).toBe(422);
    expect((await post({ url: 'http://127.0.0.1:9/hook', events: [42] })).statusCode).toBe(422);
  });

  it('refuses private, loopback, link-local and metadata addresses when they are not allowed', async () => {
    process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'off';
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.1.10/hook',
      'http://172.16.5.4/hook',
      'http://100.64.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://224.0.0.1/hook',
      // A host name that resolves to the loopback address.
      'http://localhost:8080/hook',
    ]) {
      const res = await post({ url, events: ['article.published'] });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.field, url).toBe('url');
    }
    // A public address is accepted (nothing is sent at registration).
    expect((await post({ url: 'https://93.184.215.14/hook', events: ['article.published'] })).statusCode).toBe(201);
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/v1/webhooks'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/v1/webhooks/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(doc.paths['/api/v1/webhooks'].post.responses['201']).toBeDefined();
  });
});
