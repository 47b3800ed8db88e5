import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allJobHandlers } from '../../src/jobs/job.handlers.js';
import { findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { saveMailSettings } from '../../src/mail/mail.settings.js';
import { closeMailers } from '../../src/mail/mail.transport.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { WEBHOOK_ALERT_JOB } from '../../src/webhooks/webhook.alert.js';
import { DISABLE_AFTER_MS, deliverDue } from '../../src/webhooks/webhook.delivery.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken, makeUser } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { type Receiver, registerEndpoint, startReceiver } from './webhook.helpers.js';

process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';

describe.each(DIALECTS)('administrators are emailed when an endpoint is switched off, on %s', (dialect) => {
  let h: TestApp;
  let token: string;
  let rx: Receiver;
  let sink: SmtpSink;
  let admins: string[];
  let handlers: ReturnType<typeof allJobHandlers>;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    token = await makeToken(h.t.db, 'admin');
    rx = await startReceiver();
    sink = await startSmtpSink();
    await h.t.db.transaction().execute((trx) => saveSettings(trx, { siteUrl: 'https://news.example.org', siteName: 'Harbor Gazette' }));
    admins = [(await makeUser(h.t.db, 'admin')).email, (await makeUser(h.t.db, 'admin')).email];
    await makeUser(h.t.db, 'editor');
    const retired = await makeUser(h.t.db, 'admin');
    await h.t.db.updateTable('users').set({ active: 0 }).where('id', '=', retired.id).execute();
    handlers = allJobHandlers({ db: h.t.db, dataDir: h.t.dataDir, config: h.t.config });
  });
  afterAll(async () => {
    handlers.close();
    closeMailers();
    await rx.close();
    await sink.close();
    await h.close();
  });
  beforeEach(async () => {
    rx.answer = 503;
    sink.clear();
    await h.t.db.deleteFrom('jobs').execute();
    await h.t.db.deleteFrom('webhook_deliveries').execute();
    await h.t.db.deleteFrom('webhook_endpoints').execute();
  });

  /** An endpoint that has failed for longer than the limit, then fails once more: switched off. */
  async function switchOff(): Promise<number> {
    const ep = await registerEndpoint(h.app, token, rx.url, ['article.published']);
    const since = new Date(Date.now() - DISABLE_AFTER_MS - 3600_000).toISOString();
    await h.t.db.updateTable('webhook_endpoints').set({ failing_since: since }).where('id', '=', ep.id).execute();
    await makeArticle(h.t.db);
    expect(await deliverDue(h.t.db)).toBe(1);
    const row = await h.t.db.selectFrom('webhook_endpoints').select('enabled').where('id', '=', ep.id).executeTakeFirstOrThrow();
    expect(row.enabled).toBe(0);
    return ep.id;
  }

  const runner = () => createJobRunner({ db: h.t.db, handlers: handlers.handlers, backoff: () => 0 });

  it('one email per active administrator, once per switching off, with the reason and a link to the endpoint', async () => {
    await saveMailSettings(h.t.db, { smtpUrl: sink.url, from: 'Gazette <alerts@example.test>', ratePerSecond: 100 });
    const id = await switchOff();
    // Queued in the switching-off transaction: one job per active administrator.
    expect(await findJobs(h.t.db, { type: WEBHOOK_ALERT_JOB, status: 'queued' })).toHaveLength(admins.length);
    await runner().runDue();
    const got = await sink.waitFor(admins.length);
    expect(got.flatMap((m) => m.envelopeTo).sort()).toEqual([...admins].sort());
    for (const m of got) {
      expect(m.subject).toBe(`[Harbor Gazette] Webhook switched off: ${new URL(rx.url).origin}/…`);
      // Only scheme and host: a receiver's path may hold a secret of its own.
      expect(m.text).not.toContain(rx.url);
      expect(m.text).toContain('Switched off on');
      expect(m.text).toContain(`https://news.example.org/admin/webhooks/${id}`);
      expect(m.from?.value[0].address).toBe('alerts@example.test');
    }
    // Running the jobs again sends nothing more.
    await runner().runDue();
    expect(sink.messages).toHaveLength(admins.length);
    expect(await findJobs(h.t.db, { type: WEBHOOK_ALERT_JOB, status: 'done' })).toHaveLength(admins.length);
  });

  it('the mail server down: the email is retried and arrives once it answers', async () => {
    const down = await startSmtpSink();
    const url = down.url;
    await down.close();
    await saveMailSettings(h.t.db, { smtpUrl: url, from: 'Gazette <alerts@example.test>', ratePerSecond: 100 });
    await switchOff();
    // One attempt each: a refused connection is temporary, so each job waits for its retry.
    await createJobRunner({ db: h.t.db, handlers: handlers.handlers, backoff: () => 60_000 }).runDue();
    const waiting = await findJobs(h.t.db, { type: WEBHOOK_ALERT_JOB, status: 'queued' });
    expect(waiting).toHaveLength(admins.length);
    for (const job of waiting) {
      expect(job.attempts).toBe(1);
      expect(job.last_error).toBeTruthy();
      expect(Date.parse(job.run_at)).toBeGreaterThan(Date.now());
    }
    expect(sink.messages).toEqual([]);
    // The mail server is back: every waiting alert goes out.
    await saveMailSettings(h.t.db, { smtpUrl: sink.url, from: 'Gazette <alerts@example.test>', ratePerSecond: 100 });
    await h.t.db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('status', '=', 'queued').execute();
    await runner().runDue();
    expect((await sink.waitFor(admins.length)).flatMap((m) => m.envelopeTo).sort()).toEqual([...admins].sort());
  });

  it('without a mail server nothing is sent and the jobs finish', async () => {
    await h.t.db.deleteFrom('settings').where('key', '=', 'mail').execute();
    await switchOff();
    await runner().runDue();
    expect(await findJobs(h.t.db, { type: WEBHOOK_ALERT_JOB, status: 'done' })).toHaveLength(admins.length);
    expect(sink.messages).toEqual([]);
  });

  it('an endpoint switched on again before the email went out is not reported', async () => {
    await saveMailSettings(h.t.db, { smtpUrl: sink.url, from: 'Gazette <alerts@example.test>', ratePerSecond: 100 });
    const id = await switchOff();
    await h.t.db.updateTable('webhook_endpoints').set({ enabled: 1 }).where('id', '=', id).execute();
    await runner().runDue();
    expect(sink.messages).toEqual([]);
  });
});
