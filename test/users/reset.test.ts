import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { issueReset } from '../../src/users/reset.service.js';
import { userCommand } from '../../src/users/user.cli.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, loginAs, makeUser, mergeCookies, PASSWORD, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { FORM, postForm } from '../newsroom/newsroom.helpers.js';
import { logIn, sessionFor, stillIn, userEvents } from './users.helpers.js';

const NEW_PASSWORD = 'reset to something long';
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const tokenOf = (link: string) => /\/admin\/reset\/([\w-]{43})$/.exec(link)?.[1] ?? '';

/** Opens a reset link and posts its form, as the person who received it would. */
async function useLink(app: FastifyInstance, token: string, fields: Record<string, string>, opts: { csrf?: boolean } = {}) {
  const page = await app.inject({ url: `/admin/reset/${token}`, headers: { accept: 'text/html' } });
  const cookie = mergeCookies('', page.headers['set-cookie']);
  const csrf: Record<string, string> = page.statusCode === 200 && opts.csrf !== false ? { _csrf: csrfFrom(page.body) } : {};
  const res = await app.inject({
    method: 'POST',
    url: '/admin/reset',
    headers: { ...FORM, accept: 'text/html', cookie },
    payload: new URLSearchParams({ ...csrf, token, ...fields }).toString(),
  });
  return { page, res };
}

describe.each(DIALECTS)('password-reset links on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession & { userId: number };
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
  });
  afterAll(() => h.close());

  const issue = async (userId: number) => {
    const res = await postForm(h.app, admin, `/admin/users/${userId}/reset`);
    const link = /<code class="reset-link">([^<]+)<\/code>/.exec(res.body)?.[1] ?? '';
    return { res, link, token: tokenOf(link) };
  };

  it('an admin issues a link on the staff page; it works once, ends every session and sends them to log in', async () => {
    const user = await makeUser(h.t.db, 'writer');
    const session = await sessionFor(h.app, h.t.db, user.id);
    const { res, link, token } = await issue(user.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['cache-control']).toContain('no-store');
    expect(link).toBe(`http://localhost:80/admin/reset/${token}`);
    const row = await h.t.db.selectFrom('password_resets').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(3600_000);
    expect(row.created_by).toBe(admin.userId);
    // The staff page shown later does not repeat it.
    expect((await h.app.inject({ url: '/admin/users', headers: { cookie: admin.cookie } })).body).not.toContain(token);

    const page = await h.app.inject({ url: `/admin/reset/${token}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(user.email);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    // Refusals keep the link usable.
    const mismatch = await useLink(h.app, token, { password: NEW_PASSWORD, confirm: 'not the same at all' });
    expect(mismatch.res.statusCode).toBe(422);
    expect(mismatch.res.body).toContain('The two new passwords are not the same.');
    const short = await useLink(h.app, token, { password: 'short', confirm: 'short' });
    expect(short.res.statusCode).toBe(422);
    const forged = await useLink(h.app, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }, { csrf: false });
    expect(forged.res.statusCode).toBe(403);
    expect(await stillIn(h.app, session)).toBe(true);

    const done = await useLink(h.app, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.res.statusCode).toBe(303);
    expect(done.res.headers.location).toBe('/admin/login?done=reset');
    expect((await h.app.inject('/admin/login?done=reset')).body).toContain('Log in with the new password.');
    expect(await stillIn(h.app, session)).toBe(false);
    expect((await logIn(h.app, user.email, PASSWORD)).statusCode).toBe(401);
    expect((await logIn(h.app, user.email, NEW_PASSWORD)).statusCode).toBe(303);

    // Spent: a clear 410, however it is tried.
    const again = await useLink(h.app, token, { password: 'yet another password', confirm: 'yet another password' });
    expect(again.page.statusCode).toBe(410);
    expect(again.page.body).toContain('already been used');
    expect(again.res.statusCode).toBe(410);
    expect((await logIn(h.app, user.email, NEW_PASSWORD)).statusCode).toBe(303);

    const events = await userEvents(h.t.db, user.id);
    expect(events.map((e) => e.reset_link ?? e.changed)).toEqual(['issued', ['password']]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('expires after one hour', async () => {
    const user = await makeUser(h.t.db, 'editor');
    const at = (minutesAgo: number) =>
      h.t.db
        .transaction()
        .execute((trx) => issueReset(trx, { userId: user.id, by: null, now: new Date(Date.now() - minutesAgo * 60_000) }));
    const fresh = await at(59);
    expect((await h.app.inject(`/admin/reset/${fresh.token}`)).statusCode).toBe(200);
    const old = await at(61);
    const expired = await useLink(h.app, old.token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(expired.page.statusCode).toBe(410);
    expect(expired.page.body).toContain('expired');
    // A live link whose hour runs out while the form is open: the post is refused too.
    const live = await at(0);
    const page = await h.app.inject(`/admin/reset/${live.token}`);
    await h.t.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', sha256(live.token))
      .execute();
    const res = await h.app.inject({
      method: 'POST',
      url: '/admin/reset',
      headers: { ...FORM, accept: 'text/html', cookie: mergeCookies('', page.headers['set-cookie']) },
      payload: new URLSearchParams({
        _csrf: csrfFrom(page.body),
        token: live.token,
        password: NEW_PASSWORD,
        confirm: NEW_PASSWORD,
      }).toString(),
    });
    expect(res.statusCode).toBe(410);
    expect((await logIn(h.app, user.email, PASSWORD)).statusCode).toBe(303);
  });

  it('refuses unknown links, links replaced by a newer one and links of deactivated accounts', async () => {
    for (const token of ['x'.repeat(43), 'not-even-the-right-shape', `${'y'.repeat(43)}.png`]) {
      const res = await h.app.inject({ url: `/admin/reset/${token}`, headers: { accept: 'text/html' } });
      expect(res.statusCode, token).toBe(404);
      expect(res.body).toContain('not valid');
    }
    const user = await makeUser(h.t.db, 'writer');
    const first = await issue(user.id);
    const second = await issue(user.id);
    expect((await h.app.inject(`/admin/reset/${first.token}`)).statusCode).toBe(410);
    expect((await h.app.inject(`/admin/reset/${second.token}`)).statusCode).toBe(200);
    expect((await postForm(h.app, admin, `/admin/users/${user.id}/deactivate`)).statusCode).toBe(303);
    expect((await h.app.inject(`/admin/reset/${second.token}`)).statusCode).toBe(403);
    const refused = await issue(user.id);
    expect(refused.res.statusCode).toBe(409);
    expect(refused.res.body).toContain('reactivate it');
    expect((await postForm(h.app, admin, '/admin/users/999999/reset')).statusCode).toBe(404);
  });

  it('is issued by admins only, with the CSRF token', async () => {
    const user = await makeUser(h.t.db, 'writer');
    const editor = await loginAs(h.app, h.t.db, 'editor');
    expect((await postForm(h.app, editor, `/admin/users/${user.id}/reset`)).statusCode).toBe(403);
    const noCsrf = await h.app.inject({ method: 'POST', url: `/admin/users/${user.id}/reset`, headers: { ...FORM, cookie: admin.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await h.t.db.selectFrom('password_resets').select('id').where('user_id', '=', user.id).executeTakeFirst()).toBeUndefined();
  });

  it('gazette user reset-password prints a link that works (the site address when set)', async () => {
    const user = await makeUser(h.t.db, 'moderator');
    const out: string[] = [];
    const err: string[] = [];
    const saved = { log: console.log, error: console.error };
    console.log = (m: string) => out.push(String(m));
    console.error = (m: string) => err.push(String(m));
    let codes: number[];
    try {
      codes = [
        await userCommand(h.t.db, ['reset-password', user.email.toUpperCase()], { port: 4321 }),
        await userCommand(h.t.db, ['reset-password', 'nobody@example.org'], { port: 4321 }),
      ];
      await h.t.db.transaction().execute((trx) => saveSettings(trx, { siteUrl: 'https://news.example.org/' }));
      codes.push(await userCommand(h.t.db, ['reset-password', user.email], { port: 4321 }));
    } finally {
      Object.assign(console, saved);
      await h.t.db.transaction().execute((trx) => saveSettings(trx, { siteUrl: '' }));
    }
    expect(codes).toEqual([0, 1, 0]);
    expect(out[0]).toMatch(/^http:\/\/127\.0\.0\.1:4321\/admin\/reset\/[\w-]{43}$/);
    expect(err.join('\n')).toContain('nobody@example.org');
    expect(out[1]).toMatch(/^https:\/\/news\.example\.org\/admin\/reset\/[\w-]{43}$/);
    // The newer link replaced the first one.
    expect((await h.app.inject(`/admin/reset/${tokenOf(out[0])}`)).statusCode).toBe(410);
    const done = await useLink(h.app, tokenOf(out[1]), { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.res.statusCode).toBe(303);
    expect((await logIn(h.app, user.email, NEW_PASSWORD)).statusCode).toBe(303);
    expect((await userEvents(h.t.db, user.id))[0]).toEqual({ by: 'command line', reset_link: 'issued' });
  });

  it('the command itself (a process) prints the link with the configured port', async () => {
    const user = await makeUser(h.t.db, 'editor');
    const env = {
      ...process.env,
      GAZETTE_DATA: h.t.dataDir,
      GAZETTE_SECRET: h.t.config.secret,
      DATABASE_URL: h.t.databaseUrl ?? '',
      LOG_LEVEL: 'silent',
      PORT: '4555',
    };
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'user', 'reset-password', user.email], {
      env,
      timeout: 60_000,
    });
    const link = stdout.trim();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:4555\/admin\/reset\/[\w-]{43}$/);
    expect((await h.app.inject(`/admin/reset/${tokenOf(link)}`)).statusCode).toBe(200);
    if (dialect === 'sqlite') {
      // The help text does not depend on the database: checked once.
      const help = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'help'], { env, timeout: 60_000 });
      expect(help.stdout + help.stderr).toContain('user reset-password EMAIL');
    }
  });

  it('never writes a link, a token or a password to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({ db: h.t.db, dialect: h.t.dialect, config: h.t.config, logger: { level: 'info', stream } });
    await app.ready();
    try {
      const chief = await loginAs(app, h.t.db, 'admin');
      const user = await makeUser(h.t.db, 'writer');
      const issued = await postForm(app, chief, `/admin/users/${user.id}/reset`);
      const token = tokenOf(/<code class="reset-link">([^<]+)<\/code>/.exec(issued.body)?.[1] ?? '');
      expect(token).toHaveLength(43);
      expect((await useLink(app, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).res.statusCode).toBe(303);
      await useLink(app, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      const log = lines.join('');
      // The log is on: it shows the other requests.
      expect(log).toContain(`/admin/users/${user.id}/reset`);
      expect(log).not.toContain(token);
      expect(log).not.toContain(NEW_PASSWORD);
      expect(log).not.toContain(PASSWORD);
    } finally {
      await app.close();
    }
  });
});
