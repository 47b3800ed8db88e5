import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allJobHandlers, type JobHandlerSet } from '../../src/jobs/job.handlers.js';
import { findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { saveMailSettings } from '../../src/mail/mail.settings.js';
import { closeMailers } from '../../src/mail/mail.transport.js';
import { subscriberToken, tokenMatches } from '../../src/newsletters/subscriber.links.js';
import { SIGNUP_MAIL_JOB } from '../../src/newsletters/subscriber.mail.js';
import { expirePending, findSubscriberByEmail } from '../../src/newsletters/subscriber.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { linkIn, mailTo, messageTo, signUp } from './subscribe.helpers.js';

/** The sign-up emails are durable jobs: queued with the sign-up, sent by the job runner, retried. */
describe.each(DIALECTS)('newsletter sign-up emails as jobs on %s', (dialect) => {
  let h: TestApp;
  let sink: SmtpSink;
  let jobs: JobHandlerSet;
  let ip = 0;

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: { 'gone@example.org': 550 } });
    h = await createTestApp(dialect);
    jobs = allJobHandlers({ db: h.t.db, dataDir: h.t.dataDir, config: h.t.config });
  });
  afterAll(async () => {
    jobs.close();
    closeMailers();
    await h.close();
    await sink.close();
  });
  beforeEach(async () => {
    sink.clear();
    await mailTo(h.t.db, sink);
    await h.t.db.deleteFrom('jobs').execute();
  });

  // Each test signs up from its own client address, well under the per-address limit.
  const join = (email: string, list: string | string[] = 'daily') => signUp(h.app, { email, list }, `192.0.2.${++ip}`);
  const run = (backoff?: (attempt: number) => number) => createJobRunner({ db: h.t.db, handlers: jobs.handlers, backoff }).runDue();
  const signUpJobs = () => findJobs(h.t.db, { type: SIGNUP_MAIL_JOB });

  it('a sign-up queues its email in the same transaction and answers 303 at once; the job sends it', async () => {
    const res = await join('queued@example.org', ['daily', 'breaking']);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/newsletters/check-inbox');
    // Nothing is sent inside the request.
    expect(sink.messages).toEqual([]);
    const subscriber = await findSubscriberByEmail(h.t.db, 'queued@example.org');
    const [job] = await signUpJobs();
    expect(job).toMatchObject({ status: 'queued', attempts: 0 });
    // The job names the subscriber, never the address or a token.
    expect(JSON.parse(job.payload)).toMatchObject({ subscriberId: subscriber?.id, kind: 'confirm' });
    expect(job.payload).not.toContain('queued@example.org');
    expect(job.payload).not.toContain('token');

    expect(await run()).toBeGreaterThanOrEqual(1);
    const mail = await messageTo(sink, 'queued@example.org');
    expect(mail.subject).toContain('Confirm');
    const confirmed = await h.app.inject({ url: linkIn(mail, '/newsletters/confirm'), headers: { accept: 'text/html' } });
    expect(confirmed.statusCode).toBe(200);
    expect((await findSubscriberByEmail(h.t.db, 'queued@example.org'))?.status).toBe('confirmed');
    expect((await signUpJobs())[0].status).toBe('done');
  });

  it('signing up twice before the email went out sends one email (the job is refreshed, not doubled)', async () => {
    await join('eager@example.org', 'daily');
    await join('eager@example.org', 'breaking');
    expect(await signUpJobs()).toHaveLength(1);
    await run();
    await messageTo(sink, 'eager@example.org');
    await run();
    expect(sink.messages.filter((m) => m.envelopeTo.includes('eager@example.org'))).toHaveLength(1);
  });

  it('the mail server down at sign-up: 303 all the same, the job retries, and the email arrives once the server answers', async () => {
    const down = await startSmtpSink();
    const deadUrl = down.url;
    await down.close();
    await saveMailSettings(h.t.db, { smtpUrl: deadUrl, from: 'The Gazette <news@example.test>', ratePerSecond: 100 });

    const res = await join('patient@example.org');
    expect(res.statusCode).toBe(303);
    // First attempt: the connection is refused, a temporary failure, so the job waits with back-off.
    await run(() => 60_000);
    let [job] = await signUpJobs();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(job.last_error).toBeTruthy();
    expect(Date.parse(job.run_at)).toBeGreaterThan(Date.now());
    expect((await findSubscriberByEmail(h.t.db, 'patient@example.org'))?.status).toBe('pending');

    // A second attempt, due and failing again, is tried later still.
    await h.t.db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('id', '=', job.id).execute();
    await run(() => 60_000);
    [job] = await signUpJobs();
    expect(job).toMatchObject({ status: 'queued', attempts: 2 });

    // The mail server is up: the retry delivers the confirmation.
    await mailTo(h.t.db, sink);
    await h.t.db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('id', '=', job.id).execute();
    await run();
    const mail = await messageTo(sink, 'patient@example.org');
    expect(mail.subject).toContain('Confirm');
    [job] = await signUpJobs();
    expect(job).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('a permanent 5xx refusal of the address marks it bounced; the job is done and not retried', async () => {
    expect((await join('gone@example.org')).statusCode).toBe(303);
    await run(() => 0);
    const row = await findSubscriberByEmail(h.t.db, 'gone@example.org');
    expect(row?.status).toBe('bounced');
    expect(row?.bounced_at).toBeTruthy();
    const [job] = await signUpJobs();
    expect(job).toMatchObject({ status: 'done', attempts: 1 });
    expect(sink.messages).toEqual([]);
    // A never-confirmed address whose confirmation bounced is deleted once the window has passed.
    const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await h.t.db
      .updateTable('subscribers')
      .set({ bounced_at: old })
      .where('id', '=', row?.id ?? 0)
      .execute();
    await h.t.db.transaction().execute((trx) => expirePending(trx));
    expect(await findSubscriberByEmail(h.t.db, 'gone@example.org')).toBeUndefined();
  });

  it('the "already subscribed" note is a job too', async () => {
    await join('known@example.org');
    await run();
    await h.app.inject({
      url: linkIn(await messageTo(sink, 'known@example.org'), '/newsletters/confirm'),
      headers: { accept: 'text/html' },
    });
    expect((await join('known@example.org')).statusCode).toBe(303);
    const queued = await findJobs(h.t.db, { type: SIGNUP_MAIL_JOB, status: 'queued' });
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0].payload)).toMatchObject({ kind: 'already' });
    await run();
    const note = await messageTo(sink, 'known@example.org', 2);
    expect(note.subject).toContain('already');
  });

  it('an address erased before its email went out gets nothing', async () => {
    await join('changed-mind@example.org');
    const row = await findSubscriberByEmail(h.t.db, 'changed-mind@example.org');
    await h.t.db
      .deleteFrom('subscriptions')
      .where('subscriber_id', '=', row?.id ?? 0)
      .execute();
    await h.t.db
      .deleteFrom('subscribers')
      .where('id', '=', row?.id ?? 0)
      .execute();
    await run();
    expect((await signUpJobs())[0].status).toBe('done');
    expect(sink.messages).toEqual([]);
  });

  it('without a mail server the sign-up still answers 303; its job finishes with nothing sent', async () => {
    await h.t.db.deleteFrom('settings').where('key', '=', 'mail').execute();
    expect((await join('nomail@example.org')).statusCode).toBe(303);
    expect((await findSubscriberByEmail(h.t.db, 'nomail@example.org'))?.status).toBe('pending');
    await run();
    expect(await signUpJobs()).toMatchObject([{ status: 'done', attempts: 1 }]);
    expect(sink.messages).toEqual([]);
  });

  it("the job uses the configuration it was given (the worker's secret and mail server), not the environment", async () => {
    // No newsroom mail settings: the mail server comes from the configuration alone.
    await h.t.db.deleteFrom('settings').where('key', '=', 'mail').execute();
    const workerConfig = {
      ...h.t.config,
      secret: 'worker-secret-fedcba9876543210',
      smtpUrl: sink.url,
      mailFrom: 'Worker <worker@example.test>',
    };
    const worker = allJobHandlers({ db: h.t.db, dataDir: h.t.dataDir, config: workerConfig });
    try {
      await join('configured@example.org');
      await createJobRunner({ db: h.t.db, handlers: worker.handlers }).runDue();
      const mail = await messageTo(sink, 'configured@example.org');
      expect(mail.from?.value[0].address).toBe('worker@example.test');
      const token = new URL(linkIn(mail, '/newsletters/confirm'), 'http://x').searchParams.get('token') ?? '';
      const row = await findSubscriberByEmail(h.t.db, 'configured@example.org');
      if (!row) throw new Error('no subscriber');
      expect(token).toBe(subscriberToken(workerConfig.secret, row));
      expect(tokenMatches(h.t.config.secret, row, token)).toBe(false);
    } finally {
      worker.close();
    }
  });
});
