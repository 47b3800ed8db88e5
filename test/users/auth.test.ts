import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, requireApiRole } from '../../src/web/auth.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, loginAs, makeToken, makeUser, mergeCookies, PASSWORD } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(DIALECTS)('staff accounts on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect, (app) => {
      app.get('/api/v1/probe', { preHandler: requireApiRole('editor', 'admin') }, async (request) => ({
        ok: true,
        role: (await actorOf(request)).role,
      }));
    });
  });
  afterAll(() => h.close());

  it('sends anonymous visitors of /admin to the login page', async () => {
    const res = await h.app.inject('/admin');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin');
  });

  it('logs in with the right password, sets a safe cookie, and logs out', async () => {
    const user = await makeUser(h.t.db, 'editor');
    const page = await h.app.inject('/admin/login');
    let cookie = mergeCookies('', page.headers['set-cookie']);
    const res = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...form, cookie },
      payload: new URLSearchParams({
        email: user.email.toUpperCase(),
        password: PASSWORD,
        _csrf: csrfFrom(page.body),
        next: '/admin',
      }).toString(),
    });
    expect(res.statusCode).toBe(303);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/gz_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    cookie = mergeCookies(cookie, res.headers['set-cookie']);
    const dash = await h.app.inject({ url: '/admin', headers: { cookie } });
    expect(dash.statusCode).toBe(200);
    expect(dash.headers['cache-control']).toBe('private, no-store');
    // Logging out without the CSRF token is refused; with it the session ends.
    const noCsrf = await h.app.inject({ method: 'POST', url: '/admin/logout', headers: { ...form, cookie }, payload: '' });
    expect(noCsrf.statusCode).toBe(403);
    const out = await h.app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { ...form, cookie },
      payload: `_csrf=${encodeURIComponent(csrfFrom(dash.body))}`,
    });
    expect(out.statusCode).toBe(303);
    const after = await h.app.inject({ url: '/admin', headers: { cookie } });
    expect(after.statusCode).toBe(303);
  });

  it('refuses a wrong password with the email kept, and a login without CSRF', async () => {
    const user = await makeUser(h.t.db, 'writer');
    const page = await h.app.inject('/admin/login');
    const cookie = mergeCookies('', page.headers['set-cookie']);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...form, cookie },
      payload: new URLSearchParams({ email: user.email, password: 'wrong password!', _csrf: csrfFrom(page.body) }).toString(),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('The email or password is not right.');
    expect(bad.body).toContain(`value="${user.email}"`);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...form, cookie },
      payload: new URLSearchParams({ email: user.email, password: PASSWORD }).toString(),
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('does not let a deactivated user log in, and ends their sessions', async () => {
    const s = await loginAs(h.app, h.t.db, 'moderator');
    await h.t.db.updateTable('users').set({ active: 0 }).where('id', '=', s.userId).execute();
    const res = await h.app.inject({ url: '/admin', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(303);
  });

  it('checks bearer tokens and roles on API routes', async () => {
    const editor = await makeToken(h.t.db, 'editor');
    const writer = await makeToken(h.t.db, 'writer');
    const call = (authorization?: string) => h.app.inject({ url: '/api/v1/probe', headers: authorization ? { authorization } : {} });
    expect((await call()).statusCode).toBe(401);
    expect((await call('Bearer gz_not-a-real-token')).statusCode).toBe(401);
    expect((await call('Basic abc')).statusCode).toBe(401);
    const forbidden = await call(`Bearer ${writer}`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const ok = await call(`Bearer ${editor}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, role: 'editor' });
    // Tokens are stored hashed.
    const rows = await h.t.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === editor)).toBe(false);
  });
});

describe('the OpenAPI document', () => {
  it('is served at /api/v1/openapi.json and lists only /api/v1 routes', async () => {
    const h = await createTestApp('sqlite', (app) => {
      app.get('/api/v1/probe', { schema: { summary: 'probe' }, preHandler: requireApiRole('admin') }, async () => ({}));
    });
    try {
      const res = await h.app.inject('/api/v1/openapi.json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/api/v1/probe');
      expect(Object.keys(doc.paths).every((p: string) => p.startsWith('/api/v1'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
