import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allJobHandlers, type JobHandlerSet } from '../../src/jobs/job.handlers.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { findSubscriberByEmail, listsOf } from '../../src/newsletters/subscriber.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { rawHeader, type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { FORM, linkIn, mailTo, messageTo, signUp } from './subscribe.helpers.js';

describe.each(DIALECTS)('newsletter sign-up on %s', (dialect) => {
  let h: TestApp;
  let sink: SmtpSink;
  let jobs: JobHandlerSet;

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await createTestApp(dialect);
    await mailTo(h.t.db, sink);
    jobs = allJobHandlers({ db: h.t.db, dataDir: h.t.dataDir, config: h.t.config });
  });
  afterAll(async () => {
    jobs.close();
    await h.close();
    await sink.close();
  });

  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  /** Runs the queued jobs (the sign-up emails) as the server's job runner would, then reads the sink. */
  const mailFor = async (to: string, nth = 1) => {
    await createJobRunner({ db: h.t.db, handlers: jobs.handlers }).runDue();
    return messageTo(sink, to, nth);
  };

  it('a fresh install offers the daily briefing and breaking news on /newsletters', async () => {
    const page = await get('/newsletters');
    expect(page.statusCode).toBe(200);
    const form = tags(page.body, 'form').find((f) => f.action?.endsWith('/newsletters/subscribe'));
    expect(form?.method).toBe('post');
    const boxes = tags(page.body, 'input').filter((i) => i.name === 'list');
    expect(boxes.map((b) => b.value)).toEqual(['daily', 'breaking']);
    expect(boxes.find((b) => b.value === 'daily')).toHaveProperty('checked');
    expect(tags(page.body, 'input').find((i) => i.name === 'email')?.type).toBe('email');
  });

  it('article pages carry the sign-up form for the daily briefing', async () => {
    const a = await makeArticle(h.t.db, { slug: 'signup-on-article', section: 'Politics' });
    const page = await get(a.url);
    expect(page.statusCode).toBe(200);
    const form = tags(page.body, 'form').find((f) => f.action?.endsWith('/newsletters/subscribe'));
    expect(form).toBeDefined();
    expect(tags(page.body, 'input').find((i) => i.name === 'list' && i.type === 'hidden')?.value).toBe('daily');
    // It comes before the discussion.
    expect(page.body.indexOf('/newsletters/subscribe')).toBeLessThan(page.body.indexOf('id="comments"'));
  });

  it('subscribe → 303 → confirmation email → the link confirms (double opt-in)', async () => {
    const res = await signUp(h.app, { email: '  Ana.Reader@Example.ORG ', list: ['daily', 'breaking'] });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/newsletters/check-inbox');
    const inbox = await get('/newsletters/check-inbox');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Check your inbox');

    const pending = await findSubscriberByEmail(h.t.db, 'ana.reader@example.org');
    expect(pending?.status).toBe('pending');
    expect(pending?.expires_at).toBeTruthy();
    expect((await listsOf(h.t.db, pending?.id ?? 0)).map((l) => l.slug).sort()).toEqual(['breaking', 'daily']);

    const mail = await mailFor('ana.reader@example.org');
    expect(mail.subject).toContain('Confirm');
    expect(mail.text).toContain('confirm');
    expect(mail.html).toContain('Confirm subscription');
    expect(mail.from?.value[0].address).toBe('news@example.test');
    const link = linkIn(mail, '/newsletters/confirm');
    expect(link).toContain('confirm');

    const confirmed = await get(link);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.headers['cache-control']).toBe('private, no-store');
    expect(confirmed.body).toContain('You are subscribed');
    const row = await findSubscriberByEmail(h.t.db, 'ana.reader@example.org');
    expect(row?.status).toBe('confirmed');
    expect(row?.confirmed_at).toBeTruthy();
    expect(row?.expires_at).toBeNull();
    const events = await h.t.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'subscriber.confirmed')
      .where('subject_id', '=', row?.id ?? 0)
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].payload)).toMatchObject({ lists: expect.arrayContaining(['daily', 'breaking']) });
    // Following the link again changes nothing.
    expect((await get(link)).statusCode).toBe(200);
    expect(
      await h.t.db
        .selectFrom('events')
        .select('id')
        .where('type', '=', 'subscriber.confirmed')
        .where('subject_id', '=', row?.id ?? 0)
        .execute(),
    ).toHaveLength(1);
  });

  it('an address already confirmed gets the same answer (no enumeration) and a note, not a second sign-up', async () => {
    const first = await signUp(h.app, { email: 'twice@example.org', list: 'daily' });
    await get(linkIn(await mailFor('twice@example.org'), '/newsletters/confirm'));
    const again = await signUp(h.app, { email: 'twice@example.org', list: 'daily' });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.headers.location).toBe(first.headers.location);
    const note = await mailFor('twice@example.org', 2);
    expect(note.subject).toContain('already');
    expect(note.text).not.toContain('/newsletters/confirm');
    expect((await findSubscriberByEmail(h.t.db, 'twice@example.org'))?.status).toBe('confirmed');
  });

  it('a bad address answers 422 with the message and what was typed', async () => {
    const res = await signUp(h.app, { email: 'not-an-address<b>', list: 'breaking' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter an email address like');
    // Kept as typed, escaped.
    expect(res.body).toContain('value="not-an-address&lt;b>"');
    expect(res.body).toContain('aria-invalid="true"');
    const ticked = tags(res.body, 'input')
      .filter((i) => i.name === 'list' && 'checked' in i)
      .map((i) => i.value);
    expect(ticked).toEqual(['breaking']);
    expect(res.body).not.toContain('<b>');
    expect((await signUp(h.app, { email: '', list: 'daily' })).statusCode).toBe(422);
    expect((await signUp(h.app, { email: 'ok@example.org', list: 'no-such-list' })).statusCode).toBe(422);
  });

  it('the honeypot and a form sent back too fast are answered alike, and nothing is stored or sent', async () => {
    const bot = await signUp(h.app, { email: 'bot@example.org', list: 'daily', website: 'https://spam.example' });
    expect(bot.statusCode).toBe(303);
    expect(bot.headers.location).toBe('/newsletters/check-inbox');
    const page = await get('/newsletters');
    const stamp = tags(page.body, 'input').find((i) => i.name === '_stamp')?.value ?? '';
    expect(stamp).not.toBe('');
    const fast = await signUp(h.app, { email: 'fast@example.org', list: 'daily', _stamp: stamp });
    expect(fast.statusCode).toBe(303);
    expect(await findSubscriberByEmail(h.t.db, 'bot@example.org')).toBeUndefined();
    expect(await findSubscriberByEmail(h.t.db, 'fast@example.org')).toBeUndefined();
  });

  it('sign-ups are rate-limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push((await signUp(h.app, { email: `flood${i}@example.org`, list: 'daily' }, '198.51.100.99')).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // Another address is not held up.
    expect((await signUp(h.app, { email: 'other@example.org', list: 'daily' }, '198.51.100.100')).statusCode).toBe(303);
  });

  it('unconfirmed addresses expire after 7 days: deleted, and their link no longer works', async () => {
    await signUp(h.app, { email: 'late@example.org', list: 'daily' });
    const link = linkIn(await mailFor('late@example.org'), '/newsletters/confirm');
    const row = await findSubscriberByEmail(h.t.db, 'late@example.org');
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await h.t.db
      .updateTable('subscribers')
      .set({ expires_at: new Date(Date.now() - 86_400_000).toISOString(), created_at: eightDaysAgo })
      .where('id', '=', row?.id ?? 0)
      .execute();
    // A pending one still in its window stays.
    await signUp(h.app, { email: 'ontime@example.org', list: 'daily' });
    // The background duty's first pass runs at once.
    const { startSignupCleanup } = await import('../../src/newsletters/subscriber.cleanup.js');
    const errors: unknown[] = [];
    const cleanup = startSignupCleanup(h.t.db, (e) => errors.push(e));
    for (let i = 0; i < 200 && (await findSubscriberByEmail(h.t.db, 'late@example.org')); i++) await new Promise((r) => setTimeout(r, 50));
    cleanup.stop();
    expect(errors).toEqual([]);
    expect(await findSubscriberByEmail(h.t.db, 'late@example.org')).toBeUndefined();
    expect((await findSubscriberByEmail(h.t.db, 'ontime@example.org'))?.status).toBe('pending');
    const { expirePending } = await import('../../src/newsletters/subscriber.service.js');
    expect(await h.t.db.transaction().execute((trx) => expirePending(trx))).toBe(0);
    expect(
      await h.t.db
        .selectFrom('subscriptions')
        .select('list_id')
        .where('subscriber_id', '=', row?.id ?? 0)
        .execute(),
    ).toEqual([]);
    expect((await get(link)).statusCode).toBe(404);
  });

  it('one-click unsubscribe: GET shows a button, RFC 8058 POST answers 200 and unsubscribes', async () => {
    await signUp(h.app, { email: 'leaver@example.org', list: 'daily' });
    const confirm = linkIn(await mailFor('leaver@example.org'), '/newsletters/confirm');
    await get(confirm);
    const row = await findSubscriberByEmail(h.t.db, 'leaver@example.org');
    const token = new URL(confirm, 'http://x').searchParams.get('token') ?? '';
    const { unsubscribeUrl, listUnsubscribeHeaders } = await import('../../src/newsletters/subscriber.links.js');
    const daily = await h.t.db.selectFrom('newsletter_lists').selectAll().where('slug', '=', 'daily').executeTakeFirstOrThrow();
    const url = unsubscribeUrl('https://news.example.test', token, daily.id);
    expect(listUnsubscribeHeaders(url)).toEqual({ 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const path = url.slice('https://news.example.test'.length);

    const page = await get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(tags(page.body, 'form').find((f) => f.action === '/newsletters/unsubscribe')?.method).toBe('post');
    expect((await findSubscriberByEmail(h.t.db, 'leaver@example.org'))?.status).toBe('confirmed');

    const post = await h.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': FORM },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    expect(post.headers['cache-control']).toBe('private, no-store');
    const after = await findSubscriberByEmail(h.t.db, 'leaver@example.org');
    expect(after?.status).toBe('unsubscribed');
    expect(await listsOf(h.t.db, row?.id ?? 0)).toEqual([]);
    const events = await h.t.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'subscriber.unsubscribed')
      .where('subject_id', '=', row?.id ?? 0)
      .execute();
    expect(events).toHaveLength(1);
    // Again: still 200, nothing more recorded.
    expect(
      (await h.app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM }, payload: 'List-Unsubscribe=One-Click' }))
        .statusCode,
    ).toBe(200);
    // A forged token is refused.
    const forged = path.replace(/token=[^&]+/, `token=${row?.id}.${'A'.repeat(32)}`);
    expect(
      (await h.app.inject({ method: 'POST', url: forged, headers: { 'content-type': FORM }, payload: 'List-Unsubscribe=One-Click' }))
        .statusCode,
    ).toBe(404);
  });

  it('the preferences page chooses lists; the button leaves them all', async () => {
    await signUp(h.app, { email: 'chooser@example.org', list: ['daily', 'breaking'] });
    const confirm = linkIn(await mailFor('chooser@example.org'), '/newsletters/confirm');
    const done = await get(confirm);
    const prefsLink = /href="[^"]*(\/newsletters\/preferences\?token=[^"]+)"/.exec(done.body)?.[1] ?? '';
    const prefs = await get(prefsLink.replace(/&amp;/g, '&'));
    expect(prefs.statusCode).toBe(200);
    expect(prefs.headers['cache-control']).toBe('private, no-store');
    const token = tags(prefs.body, 'input').find((i) => i.name === 'token')?.value ?? '';
    expect(tags(prefs.body, 'input').filter((i) => i.name === 'list' && 'checked' in i)).toHaveLength(2);
    const row = await findSubscriberByEmail(h.t.db, 'chooser@example.org');
    const daily = (await listsOf(h.t.db, row?.id ?? 0)).find((l) => l.slug === 'daily');
    const save = await h.app.inject({
      method: 'POST',
      url: '/newsletters/preferences',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({ token, list: String(daily?.id) }).toString(),
    });
    expect(save.statusCode).toBe(200);
    expect(save.body).toContain('Your choice is saved');
    expect((await listsOf(h.t.db, row?.id ?? 0)).map((l) => l.slug)).toEqual(['daily']);
    const all = await h.app.inject({
      method: 'POST',
      url: '/newsletters/unsubscribe',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({ token }).toString(),
    });
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('You are unsubscribed');
    expect((await findSubscriberByEmail(h.t.db, 'chooser@example.org'))?.status).toBe('unsubscribed');
    // Signing up again asks for confirmation anew.
    await signUp(h.app, { email: 'chooser@example.org', list: 'breaking' });
    expect((await findSubscriberByEmail(h.t.db, 'chooser@example.org'))?.status).toBe('pending');
    expect(rawHeader(await mailFor('chooser@example.org', 2), 'Subject')).toContain('Confirm');
  });

  it('token pages answer 404 for a missing or wrong token, never 500', async () => {
    for (const url of [
      '/newsletters/confirm',
      '/newsletters/confirm?token=nonsense',
      '/newsletters/preferences?token=1.abc',
      '/newsletters/unsubscribe?token=99999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const post = await h.app.inject({
      method: 'POST',
      url: '/newsletters/unsubscribe',
      headers: { 'content-type': FORM },
      payload: 'token=x',
    });
    expect(post.statusCode).toBe(404);
  });
});
