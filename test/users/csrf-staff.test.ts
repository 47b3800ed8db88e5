import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, loginAs, makeToken, makeUser, mergeCookies, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Replaces (or adds) one cookie in a Cookie header. */
const withCookie = (cookie: string, name: string, value: string) =>
  [...cookie.split('; ').filter((c) => c && !c.startsWith(`${name}=`)), `${name}=${value}`].join('; ');

describe.each(DIALECTS)('staff actions take only the session-bound CSRF token on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession & { userId: number };
  let site: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
    site = 'http://localhost:80';
  });
  afterAll(() => h.close());

  const roleOf = async (id: number) =>
    (await h.t.db.selectFrom('users').select('role').where('id', '=', id).executeTakeFirstOrThrow()).role;

  /** The attacker's own anonymous cookie and the form token that goes with it, from the login page. */
  async function attackerToken() {
    const page = await h.app.inject('/admin/login');
    const anon = /gz_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    if (!anon) throw new Error('no anonymous CSRF cookie');
    return { anon, token: csrfFrom(page.body) };
  }

  it('refuses a planted gz_csrf cookie with its token on an admin form, and changes nothing', async () => {
    const target = await makeUser(h.t.db, 'writer');
    const { anon, token } = await attackerToken();
    const res = await h.app.inject({
      method: 'POST',
      url: `/admin/users/${target.id}/role`,
      headers: { ...FORM, accept: 'text/html', cookie: withCookie(admin.cookie, 'gz_csrf', anon) },
      payload: new URLSearchParams({ _csrf: token, role: 'admin' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('not sent from this site');
    expect(await roleOf(target.id)).toBe('writer');
    // The staff API with the session cookie refuses the anonymous token too.
    const api = await h.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: withCookie(admin.cookie, 'gz_csrf', anon), 'x-csrf-token': token },
      payload: { headline: 'Planted', section: 'Politics', body: 'x' },
    });
    expect(api.statusCode).toBe(403);
    expect(await h.t.db.selectFrom('articles').select('id').where('headline', '=', 'Planted').executeTakeFirst()).toBeUndefined();
  });

  it('refuses another site by Origin or Sec-Fetch-Site even with the right token', async () => {
    const target = await makeUser(h.t.db, 'writer');
    const post = (headers: Record<string, string>) =>
      h.app.inject({
        method: 'POST',
        url: `/admin/users/${target.id}/role`,
        headers: { ...FORM, cookie: admin.cookie, ...headers },
        payload: new URLSearchParams({ _csrf: admin.csrf, role: 'editor' }).toString(),
      });
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'http://news.localhost.evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site', origin: site },
      { 'sec-fetch-site': 'same-site', origin: 'https://blog.localhost' },
    ];
    for (const headers of foreign) {
      const res = await post(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.body, JSON.stringify(headers)).toMatch(/another site|not sent from this site/);
    }
    expect(await roleOf(target.id)).toBe('writer');
    // This site's own pages: the same Origin, or the browser saying same-origin, or no such header at all.
    expect((await post({ origin: site, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(303);
    expect(await roleOf(target.id)).toBe('editor');
    expect((await post({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(303);
    expect((await post({})).statusCode).toBe(303);
  });

  it('accepts the configured site URL as the origin behind a proxy that rewrites the host', async () => {
    await h.t.db.transaction().execute(async (trx) => {
      const { saveSettings } = await import('../../src/settings/settings.service.js');
      await saveSettings(trx, { siteUrl: 'https://news.example.org' });
    });
    h.app.gazette.invalidateSettings();
    const target = await makeUser(h.t.db, 'writer');
    const res = await h.app.inject({
      method: 'POST',
      url: `/admin/users/${target.id}/role`,
      headers: { ...FORM, cookie: admin.cookie, origin: 'https://news.example.org', host: '10.0.0.5:3000' },
      payload: new URLSearchParams({ _csrf: admin.csrf, role: 'editor' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(await roleOf(target.id)).toBe('editor');
  });

  it('keeps the anonymous token for reader forms and the login page, and skips bearer API calls', async () => {
    const { anon, token } = await attackerToken();
    const user = await makeUser(h.t.db, 'editor');
    const login = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...FORM, cookie: `gz_csrf=${anon}` },
      payload: new URLSearchParams({ email: user.email, password: 'correct horse battery staple', _csrf: token }).toString(),
    });
    expect(login.statusCode).toBe(303);
    const cookie = mergeCookies(`gz_csrf=${anon}`, login.headers['set-cookie']);
    // Once logged in, the session's own token is the one the pages carry and the one accepted.
    const dash = await h.app.inject({ url: '/admin', headers: { cookie } });
    const sessionToken = csrfFrom(dash.body);
    expect(sessionToken).not.toBe(token);
    const out = (t: string) =>
      h.app.inject({ method: 'POST', url: '/admin/logout', headers: { ...FORM, cookie }, payload: `_csrf=${encodeURIComponent(t)}` });
    expect((await out(token)).statusCode).toBe(403);
    expect((await out(sessionToken)).statusCode).toBe(303);
    // A bearer token is not a cookie a browser sends by itself: no CSRF token, any Origin.
    const api = await h.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { authorization: `Bearer ${await makeToken(h.t.db, 'editor')}`, origin: 'https://tools.example' },
      payload: { headline: 'From a script', section: 'Politics', body: 'Text.' },
    });
    expect(api.statusCode).toBe(201);
  });
});
