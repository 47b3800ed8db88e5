import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMailSettings, loadStoredMailSettings } from '../../src/mail/mail.settings.js';
import { findListBySlug } from '../../src/newsletters/list.service.js';
import { subscriberToken } from '../../src/newsletters/subscriber.links.js';
import { confirmSubscriber, findSubscriberByEmail, subscribe } from '../../src/newsletters/subscriber.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS, type TestDb } from '../helpers/db.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { FORM } from './subscribe.helpers.js';

const run = promisify(execFile);

/** The real `gazette` command (from source) against the test database. */
async function gazette(t: TestDb, args: string[]) {
  const env = {
    ...process.env,
    GAZETTE_DATA: t.dataDir,
    GAZETTE_SECRET: t.config.secret,
    DATABASE_URL: t.databaseUrl ?? '',
    LOG_LEVEL: 'silent',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A confirmed subscriber made through the service, as the reader pages would. */
async function confirmed(h: TestApp, email: string, lists: string[]) {
  const { subscriber } = await h.t.db.transaction().execute((trx) => subscribe(trx, { email, lists }));
  const token = subscriberToken(h.t.config.secret, subscriber);
  await h.t.db.transaction().execute((trx) => confirmSubscriber(trx, { secret: h.t.config.secret, token }));
  return subscriber;
}

describe.each(DIALECTS)('newsletters in the newsroom on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let admin: StaffSession;
  let writer: StaffSession;
  let moderator: StaffSession;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    [editor, admin, writer, moderator] = [
      await loginAs(h.app, h.t.db, 'editor'),
      await loginAs(h.app, h.t.db, 'admin'),
      await loginAs(h.app, h.t.db, 'writer'),
      await loginAs(h.app, h.t.db, 'moderator'),
    ];
  });
  afterAll(() => h.close());

  const get = (s: StaffSession | null, url: string) => h.app.inject({ url, headers: s ? { cookie: s.cookie } : {} });
  const post = (s: StaffSession, url: string, fields: Record<string, string>, csrf = s.csrf) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'content-type': FORM, origin: 'http://localhost' },
      payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
    });

  it('the lists page shows counts of confirmed subscribers and that mail is not configured', async () => {
    await confirmed(h, 'count1@example.org', ['daily']);
    await confirmed(h, 'count2@example.org', ['daily', 'breaking']);
    await h.t.db.transaction().execute((trx) => subscribe(trx, { email: 'pending@example.org', lists: ['daily'] }));
    const page = await get(editor, '/admin/newsletters');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('data-list-count="daily">2<');
    expect(page.body).toContain('data-list-count="breaking">1<');
    expect(page.body).toContain('Mail is not configured');
    expect(page.body).toContain('href="/admin/newsletters"');
  });

  it('roles: editors and admins manage lists; writers and moderators are refused; nobody logged in goes to login', async () => {
    for (const s of [writer, moderator]) {
      expect((await get(s, '/admin/newsletters')).statusCode).toBe(403);
      expect((await get(s, '/admin/newsletters/subscribers')).statusCode).toBe(403);
      expect((await get(s, '/admin/newsletters/mail')).statusCode).toBe(403);
      expect((await post(s, '/admin/newsletters/lists', { slug: 'x', name: 'X', kind: 'custom', auto_mode: 'off' })).statusCode).toBe(403);
    }
    expect((await get(editor, '/admin/newsletters/mail')).statusCode).toBe(403);
    expect((await post(editor, '/admin/newsletters/mail', { smtp_url: '', from: '', rate: '5' })).statusCode).toBe(403);
    const anon = await get(null, '/admin/newsletters');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toContain('/admin/login');
  });

  it('CSRF: a newsroom form without the right token is refused and changes nothing', async () => {
    const res = await post(
      editor,
      '/admin/newsletters/lists',
      { slug: 'csrf-list', name: 'CSRF', kind: 'custom', auto_mode: 'off', section_id: '', description: '', digest_time: '07:00' },
      'wrong',
    );
    expect(res.statusCode).toBe(403);
    expect(await findListBySlug(h.t.db, 'csrf-list')).toBeUndefined();
    const erase = await post(editor, '/admin/newsletters/subscribers/1/erase', {}, '');
    expect(erase.statusCode).toBe(403);
    const mail = await post(admin, '/admin/newsletters/mail', { smtp_url: 'smtp://evil.example:25', from: '', rate: '5' }, 'nope');
    expect(mail.statusCode).toBe(403);
    expect((await loadStoredMailSettings(h.t.db)).smtpUrl).toBe('');
  });

  it('an editor creates and edits a list; bad input is shown again with 422', async () => {
    const fields = {
      slug: 'culture-weekly',
      name: 'Culture weekly',
      description: 'Arts',
      section_id: '',
      kind: 'custom',
      auto_mode: 'daily_digest',
      digest_time: '18:30',
    };
    const created = await post(editor, '/admin/newsletters/lists', fields);
    expect(created.statusCode).toBe(303);
    const list = await findListBySlug(h.t.db, 'culture-weekly');
    expect(list).toMatchObject({ name: 'Culture weekly', auto_mode: 'daily_digest', digest_time: '18:30' });
    const bad = await post(editor, '/admin/newsletters/lists', { ...fields, slug: 'Bad Slug!', name: 'Kept name' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="Kept name"');
    expect(bad.body).toContain('value="Bad Slug!"');
    expect((await post(editor, '/admin/newsletters/lists', { ...fields, digest_time: '25:00' })).statusCode).toBe(422);
    expect((await post(editor, '/admin/newsletters/lists', fields)).statusCode).toBe(409);
    const edit = await post(editor, `/admin/newsletters/lists/${list?.id}`, { ...fields, name: 'Culture daily', auto_mode: 'on_publish' });
    expect(edit.statusCode).toBe(303);
    expect((await findListBySlug(h.t.db, 'culture-weekly'))?.name).toBe('Culture daily');
    const daily = await findListBySlug(h.t.db, 'daily');
    const rename = await post(editor, `/admin/newsletters/lists/${daily?.id}`, { ...fields, slug: 'morning', name: 'Morning' });
    expect(rename.statusCode).toBe(422);
    expect((await get(editor, '/admin/newsletters/lists/999999')).statusCode).toBe(404);
    const events = await h.t.db.selectFrom('events').select('type').where('type', '=', 'newsletter.changed').execute();
    expect(events.length).toBe(2);
  });

  it('subscribers: search, export (JSON and CSV) and erase from the newsroom', async () => {
    const s = await confirmed(h, 'findme@example.org', ['daily']);
    const found = await get(editor, '/admin/newsletters/subscribers?q=findme');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('findme@example.org');
    expect(found.body).not.toContain('count1@example.org');
    expect((await get(editor, '/admin/newsletters/subscribers?q=%25')).statusCode).toBe(200);
    const json = await get(editor, `/admin/newsletters/subscribers/${s.id}/export?format=json`);
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(json.body)).toMatchObject({ email: 'findme@example.org', status: 'confirmed', lists: [{ slug: 'daily' }] });
    const csv = await get(editor, `/admin/newsletters/subscribers/${s.id}/export?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[1]).toContain('findme@example.org,confirmed');
    const erased = await post(editor, `/admin/newsletters/subscribers/${s.id}/erase`, {});
    expect(erased.statusCode).toBe(303);
    expect(await findSubscriberByEmail(h.t.db, 'findme@example.org')).toBeUndefined();
    expect(await h.t.db.selectFrom('subscriptions').selectAll().where('subscriber_id', '=', s.id).execute()).toEqual([]);
    expect((await get(editor, `/admin/newsletters/subscribers/${s.id}/export`)).statusCode).toBe(404);
  });

  it('gazette subscriber export / erase as a process', async () => {
    await confirmed(h, 'cli.reader@example.org', ['daily', 'breaking']);
    const exported = await gazette(h.t, ['subscriber', 'export', 'CLI.Reader@example.org']);
    expect(exported.code).toBe(0);
    const data = JSON.parse(exported.stdout);
    expect(data.email).toBe('cli.reader@example.org');
    expect(data.lists.map((l: { slug: string }) => l.slug).sort()).toEqual(['breaking', 'daily']);
    const erased = await gazette(h.t, ['subscriber', 'erase', 'cli.reader@example.org']);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ email: 'cli.reader@example.org', erased: true });
    expect(await findSubscriberByEmail(h.t.db, 'cli.reader@example.org')).toBeUndefined();
    const missing = await gazette(h.t, ['subscriber', 'erase', 'cli.reader@example.org']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('cli.reader@example.org');
    expect((await gazette(h.t, ['subscriber', 'forget'])).code).not.toBe(0);
  });

  describe('mail settings (administrators)', () => {
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await startSmtpSink({ auth: { user: 'gazette', pass: 'very-secret-pw' } });
    });
    afterAll(() => sink.close());

    it('saves the SMTP URL, never shows the password back, keeps it on ****, and sends a test email', async () => {
      const page = await get(admin, '/admin/newsletters/mail');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Mail is not configured');
      const bad = await post(admin, '/admin/newsletters/mail', { smtp_url: 'http://nope', from: 'x', rate: '0' });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('value="http://nope"');
      const saved = await post(admin, '/admin/newsletters/mail', { smtp_url: sink.url, from: 'Desk <desk@example.test>', rate: '20' });
      expect(saved.statusCode).toBe(303);
      const shown = await get(admin, '/admin/newsletters/mail');
      expect(shown.body).not.toContain('very-secret-pw');
      expect(shown.body).toContain('gazette:****@127.0.0.1');
      // Saving the form as shown keeps the password.
      const redacted = sink.url.replace('very-secret-pw', '****');
      expect(
        (await post(admin, '/admin/newsletters/mail', { smtp_url: redacted, from: 'Desk <desk@example.test>', rate: '20' })).statusCode,
      ).toBe(303);
      const inForce = await loadMailSettings(h.t.db, h.t.config);
      expect(inForce.smtpUrl).toBe(sink.url);
      expect(inForce.ratePerSecond).toBe(20);
      expect(inForce.source).toBe('newsroom');
      const test = await post(admin, '/admin/newsletters/mail/test', { to: 'me@example.test' });
      expect(test.statusCode).toBe(303);
      const [msg] = await sink.waitFor(1);
      expect(msg.subject).toContain('Test email');
      expect(msg.from?.value[0].address).toBe('desk@example.test');
      const badTo = await post(admin, '/admin/newsletters/mail/test', { to: 'nobody' });
      expect(badTo.statusCode).toBe(422);
      const lists = await get(editor, '/admin/newsletters');
      expect(lists.body).not.toContain('Mail is not configured');
      expect(lists.body).not.toContain('very-secret-pw');
    });
  });
});
