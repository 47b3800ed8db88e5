import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJobs } from '../../src/jobs/job.repo.js';
import { closeMailers } from '../../src/mail/mail.transport.js';
import { issueSendHandler } from '../../src/newsletters/issue.job.js';
import { findIssue } from '../../src/newsletters/issue.repo.js';
import { SEND_JOB } from '../../src/newsletters/issue.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { addSubscribers, emails, header, listId, setSiteUrl, TEST_SECRET } from './issue.setup.js';
import { FORM, mailTo } from './subscribe.helpers.js';

const config = { secret: TEST_SECRET, smtpUrl: undefined, mailFrom: undefined };

describe.each(DIALECTS)('composing and sending issues in the newsroom on %s', (dialect) => {
  let h: TestApp;
  let sink: SmtpSink;
  let editor: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    sink = await startSmtpSink();
    await mailTo(h.t.db, sink);
    await setSiteUrl(h.t.db);
    editor = await loginAs(h.app, h.t.db, 'editor');
  });
  afterEach(() => {
    sink.clear();
    closeMailers();
  });
  afterAll(async () => {
    await sink.close();
    await h.close();
  });

  const post = (session: StaffSession, url: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ _csrf: session.csrf });
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return h.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': FORM }, payload: body.toString() });
  };
  const get = (session: StaffSession | null, url: string) => h.app.inject({ url, headers: session ? { cookie: session.cookie } : {} });

  /** Runs the queued send jobs as the job runner would. */
  async function runSendJobs(): Promise<void> {
    const sender = issueSendHandler({ db: h.t.db, config });
    for (const job of await findJobs(h.t.db, { type: SEND_JOB, status: 'queued' })) {
      await sender.handler(JSON.parse(job.payload), job);
      await h.t.db.updateTable('jobs').set({ status: 'done' }).where('id', '=', job.id).execute();
    }
  }

  it('refuses other roles on every page and action', async () => {
    const writer = await loginAs(h.app, h.t.db, 'writer');
    const moderator = await loginAs(h.app, h.t.db, 'moderator');
    const article = await makeArticle(h.t.db);
    for (const session of [writer, moderator]) {
      expect((await get(session, '/admin/newsletters/issues')).statusCode).toBe(403);
      expect((await get(session, '/admin/newsletters/issues/new')).statusCode).toBe(403);
      expect((await post(session, '/admin/newsletters/issues', { subject: 'x', list: '1', articles: String(article.id) })).statusCode).toBe(
        403,
      );
      expect((await post(session, `/admin/newsletters/breaking/${article.id}`, { confirm: 'yes' })).statusCode).toBe(403);
    }
    const anonymous = await get(null, '/admin/newsletters/issues');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
    // Without the form's CSRF token.
    const forged = await h.app.inject({
      method: 'POST',
      url: '/admin/newsletters/issues',
      headers: { cookie: editor.cookie, 'content-type': FORM },
      payload: `subject=x&list=1&articles=${article.id}`,
    });
    expect(forged.statusCode).toBe(403);
    expect(await h.t.db.selectFrom('newsletter_issues').select('id').execute()).toHaveLength(0);
  });

  it('composes a draft (bad input keeps what was typed), previews it, sends a test, sends it and counts', async () => {
    const a = await makeArticle(h.t.db, { headline: 'Harbor bridge reopens <b>today</b>' });
    const b = await makeArticle(h.t.db, { headline: 'Library hours extended' });
    const daily = await listId(h.t.db, 'daily');
    const people = emails(`compose-${dialect}-`, 3);
    await addSubscribers(h.t.db, 'daily', people);

    const form = await get(editor, '/admin/newsletters/issues/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Library hours extended');

    const refused = await post(editor, '/admin/newsletters/issues', { list: String(daily), subject: 'Kept subject', intro: 'Kept intro' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Choose at least one published article.');
    expect(refused.body).toContain('value="Kept subject"');
    expect(refused.body).toContain('Kept intro');

    const created = await post(editor, '/admin/newsletters/issues', {
      list: String(daily),
      subject: 'Thursday briefing',
      intro: 'Hello, readers.',
      articles: [String(a.id), String(b.id)],
    });
    expect(created.statusCode).toBe(303);
    const page = created.headers.location as string;
    const id = Number(/issues\/(\d+)/.exec(page)?.[1]);
    expect((await findIssue(h.t.db, id))?.status).toBe('draft');

    const draft = await get(editor, page);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('3 confirmed subscribers');

    const preview = await get(editor, `/admin/newsletters/issues/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.body).toContain('Harbor bridge reopens &lt;b>today&lt;/b>');
    expect(preview.body).not.toContain('<b>today</b>');
    expect(String(preview.headers['content-security-policy'])).toContain("style-src 'unsafe-inline'");
    expect(String(preview.headers['content-security-policy'])).not.toContain('script-src');
    const text = await get(editor, `/admin/newsletters/issues/${id}/preview?format=text`);
    expect(text.body).toContain('Library hours extended');

    const badTest = await post(editor, `/admin/newsletters/issues/${id}/test`, { to: 'not an address' });
    expect(badTest.statusCode).toBe(422);
    expect(badTest.body).toContain('value="not an address"');
    const test = await post(editor, `/admin/newsletters/issues/${id}/test`, { to: 'Desk@Example.test' });
    expect(test.statusCode).toBe(303);
    const [testMail] = await sink.waitFor(1);
    expect(testMail.envelopeTo).toEqual(['desk@example.test']);
    expect(testMail.subject).toBe('[Test] Thursday briefing');
    sink.clear();

    const send = await post(editor, `/admin/newsletters/issues/${id}/send`, {});
    expect(send.statusCode).toBe(303);
    expect((await findIssue(h.t.db, id))?.status).toBe('sending');
    // A second click does not send it again.
    expect((await post(editor, `/admin/newsletters/issues/${id}/send`, {})).statusCode).toBe(409);
    await runSendJobs();
    const mails = await sink.waitFor(3);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual([...people].sort());
    expect(header(mails[0], 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const counts = await get(editor, page);
    expect(counts.statusCode).toBe(200);
    expect(counts.body).toMatch(/data-count="sent">3</);
    expect(counts.body).toMatch(/data-count="failed">0</);
    expect(counts.body).toMatch(/data-count="unsubscribed">0</);
    expect(counts.body).toContain('Opens are not counted');

    // One recipient leaves by the link in the email: the counts page shows it.
    const link = header(mails[0], 'list-unsubscribe').slice(1, -1);
    const url = new URL(link);
    const left = await h.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': FORM },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(left.statusCode).toBe(200);
    expect((await get(editor, page)).body).toMatch(/data-count="unsubscribed">1</);

    const list = await get(editor, '/admin/newsletters/issues');
    expect(list.body).toContain('Thursday briefing');
  });

  it('sends an article as breaking news from the editor, once', async () => {
    const people = emails(`breaking-${dialect}-`, 2);
    await addSubscribers(h.t.db, 'breaking', people);
    const article = await makeArticle(h.t.db, { headline: 'Dam spillway opened' });

    const editorPage = await get(editor, `/admin/articles/${article.id}/edit`);
    expect(editorPage.body).toContain(`formAction="/admin/newsletters/breaking/${article.id}"`.replace('formAction', 'formaction'));
    const writer = await loginAs(h.app, h.t.db, 'writer');
    expect((await get(writer, `/admin/articles/${article.id}/edit`)).body).not.toContain('/admin/newsletters/breaking/');

    const confirm = await post(editor, `/admin/newsletters/breaking/${article.id}`, {});
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Dam spillway opened');
    expect(confirm.body).toContain('2 confirmed subscribers');
    expect(await h.t.db.selectFrom('newsletter_issues').select('id').where('origin', '=', 'breaking').execute()).toHaveLength(0);

    const sent = await post(editor, `/admin/newsletters/breaking/${article.id}`, { confirm: 'yes' });
    expect(sent.statusCode).toBe(303);
    await runSendJobs();
    const mails = await sink.waitFor(2);
    expect(mails.map((m) => m.subject)).toEqual(['Dam spillway opened', 'Dam spillway opened']);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual([...people].sort());
    expect((await post(editor, `/admin/newsletters/breaking/${article.id}`, { confirm: 'yes' })).statusCode).toBe(409);

    const draft = await makeArticle(h.t.db, { headline: 'Not yet', published: new Date(Date.now() + 86400_000) });
    expect((await post(editor, `/admin/newsletters/breaking/${draft.id}`, { confirm: 'yes' })).statusCode).toBe(422);
    expect((await post(editor, '/admin/newsletters/breaking/99999999', { confirm: 'yes' })).statusCode).toBe(404);
  });
});
