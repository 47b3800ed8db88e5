import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/settings/settings.service.js';
import { newSetupToken, prepareSetup } from '../../src/users/setup.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, makeUser, mergeCookies } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const PASSWORD = 'a long enough secret';
let attempts = 0;

describe.each(DIALECTS)('first-admin setup of an empty install on %s', (dialect) => {
  let h: TestApp;
  let token: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(() => h.close());
  // Each test starts from an empty install with a fresh link.
  beforeEach(async () => {
    await h.t.db.deleteFrom('sessions').execute();
    await h.t.db.deleteFrom('users').execute();
    token = newSetupToken();
    expect(await prepareSetup(h.t.db, token)).toBe(true);
  });

  /** The setup form opened with `link`, then sent with these fields; the browser's cookies are kept. */
  const send = async (fields: Record<string, string>, link = token) => {
    const page = await h.app.inject(`/admin/setup?token=${encodeURIComponent(link)}`);
    expect(page.statusCode).toBe(200);
    const cookie = mergeCookies('', page.headers['set-cookie']);
    const res = await h.app.inject({
      method: 'POST',
      url: '/admin/setup',
      headers: { ...form, cookie },
      // Each attempt from its own address: the form's rate limit is not what these tests are about.
      remoteAddress: `10.0.0.${++attempts}`,
      payload: new URLSearchParams({ _csrf: csrfFrom(page.body), token: link, ...fields }).toString(),
    });
    return { res, cookie: mergeCookies(cookie, res.headers['set-cookie']) };
  };
  const good = { siteName: 'Harbor Ledger', name: 'Ada Admin', email: 'ada@example.org', password: PASSWORD, confirm: PASSWORD };

  it('needs the link printed at start: none or a wrong one gets a 403 saying where to find it', async () => {
    for (const url of ['/admin/setup', '/admin/setup?token=', '/admin/setup?token=not-the-token', `/admin/setup?token=${token}x`]) {
      const res = await h.app.inject(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('printed');
      expect(res.body).toContain('npx gazette user add');
      expect(res.body).not.toContain('name="password"');
    }
    const ok = await h.app.inject(`/admin/setup?token=${token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('private, no-store');
    expect(ok.body).toContain('name="password"');
    expect(ok.body).toContain(`value="${token}"`);
    // Sending the form with a wrong token is refused the same way and creates nobody.
    const page = await h.app.inject(`/admin/setup?token=${token}`);
    const cookie = mergeCookies('', page.headers['set-cookie']);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/admin/setup',
      headers: { ...form, cookie },
      payload: new URLSearchParams({ _csrf: csrfFrom(page.body), ...good, token: 'guess' }).toString(),
    });
    expect(wrong.statusCode).toBe(403);
    expect(await h.t.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('refuses a form without its CSRF token, keeping what was typed', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/admin/setup',
      headers: form,
      payload: new URLSearchParams({ ...good, token }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatch(/Reload the page/);
    expect(res.body).toContain('value="ada@example.org"');
    expect(await h.t.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('keeps what was typed (never the passwords) when the input is wrong: 422 naming the field', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ siteName: '   ' }, 'siteName', /site name/],
      [{ email: 'not-an-email' }, 'email', /valid email/],
      [{ name: '' }, 'name', /name of 1 to 80/],
      [{ password: 'short', confirm: 'short' }, 'password', /at least 10 characters/],
      [{ confirm: 'something different' }, 'confirm', /not the same/],
    ];
    for (const [change, field, message] of cases) {
      const typed = { ...good, siteName: 'Harbor <Ledger>', name: 'Ada "Admin"', ...change };
      const { res } = await send(typed);
      expect(res.statusCode, field).toBe(422);
      expect(res.body, field).toMatch(message);
      expect(res.body, field).toContain(`id="${field}-error"`);
      if (field !== 'siteName') expect(res.body).toContain('value="Harbor &lt;Ledger>"');
      if (field !== 'name') expect(res.body).toContain('value="Ada &quot;Admin&quot;"');
      if (field !== 'email') expect(res.body).toContain('value="ada@example.org"');
      expect(res.body).not.toContain(PASSWORD);
      expect(res.body).not.toContain('value="short"');
      // The link still works after a refused attempt.
      expect(res.body).toContain(`value="${token}"`);
    }
    expect(await h.t.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('creates the admin, names the site, logs the admin in, and works only once', async () => {
    const { res, cookie } = await send(good);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    expect(String(res.headers['set-cookie'])).toMatch(/gz_session=.*HttpOnly/);
    const users = await h.t.db.selectFrom('users').select(['email', 'name', 'role', 'password_hash']).execute();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'ada@example.org', name: 'Ada Admin', role: 'admin' });
    expect(users[0].password_hash).not.toContain(PASSWORD);
    expect((await loadSettings(h.t.db)).siteName).toBe('Harbor Ledger');
    expect(await h.t.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
    const events = await h.t.db.selectFrom('events').select('type').where('type', 'in', ['user.changed', 'settings.changed']).execute();
    expect(events.map((e) => e.type).sort()).toEqual(['settings.changed', 'user.changed']);
    // The session is the new admin's: the dashboard greets them, with the new site name.
    const dash = await h.app.inject({ url: '/admin', headers: { cookie } });
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('Welcome, Ada Admin');
    expect(dash.body).toContain('Harbor Ledger');
    // Used once: the page and the form now lead to the login page, even with the old link.
    const again = await h.app.inject(`/admin/setup?token=${token}`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/admin/login');
    const post = await h.app.inject({
      method: 'POST',
      url: '/admin/setup',
      headers: { ...form, cookie },
      payload: new URLSearchParams({ ...good, email: 'mallory@example.org', token }).toString(),
    });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/admin/login');
    expect(await h.t.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    // A later start with an admin present keeps no link.
    expect(await prepareSetup(h.t.db, newSetupToken())).toBe(false);
    expect(await h.t.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
  });

  it('a new start replaces the link; an install that already has an admin offers no setup', async () => {
    const next = newSetupToken();
    await prepareSetup(h.t.db, next);
    expect((await h.app.inject(`/admin/setup?token=${token}`)).statusCode).toBe(403);
    expect((await h.app.inject(`/admin/setup?token=${next}`)).statusCode).toBe(200);
    // An admin made on the command line closes the page at once, link or not.
    await makeUser(h.t.db, 'admin');
    const res = await h.app.inject(`/admin/setup?token=${next}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login');
  });

  it('is rate limited like the login form', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/admin/setup',
        headers: form,
        remoteAddress: '10.9.9.9',
        payload: 'token=guess',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses[10]).toBe(429);
  });

  it('an email already used by another account is refused on the form (422)', async () => {
    const writer = await makeUser(h.t.db, 'writer');
    const { res } = await send({ ...good, email: writer.email });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('already exists');
    expect(await h.t.db.selectFrom('users').select('id').where('role', '=', 'admin').execute()).toEqual([]);
  });
});
