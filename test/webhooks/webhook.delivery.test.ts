import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { DISABLE_AFTER_MS, deliverDue, MAX_ATTEMPTS, pruneDeliveries, webhookJobHandler } from '../../src/webhooks/webhook.delivery.js';
import { resendDelivery, WEBHOOK_JOB, WEBHOOK_JOB_KEY } from '../../src/webhooks/webhook.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { expectedSignature, type Receiver, registerEndpoint, startReceiver } from './webhook.helpers.js';

process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';

const HOUR = 3600_000;

describe.each(DIALECTS)('webhook deliveries on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  let rx: Receiver;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await makeToken(h.t.db, 'admin');
    rx = await startReceiver();
    await h.t.db.transaction().execute((trx) => saveSettings(trx, { siteUrl: 'https://news.example.org' }));
  });
  afterAll(async () => {
    await rx.close();
    await h.close();
  });
  beforeEach(async () => {
    rx.received.length = 0;
    rx.answer = 200;
    // Each test starts with no endpoint.
    await h.t.db.deleteFrom('webhook_deliveries').execute();
    await h.t.db.deleteFrom('webhook_endpoints').execute();
  });

  const deliveries = () => h.t.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();

  it('an event with no endpoint queues nothing', async () => {
    await makeArticle(h.t.db);
    expect(await deliveries()).toEqual([]);
    expect(await findJobs(h.t.db, { key: WEBHOOK_JOB_KEY, status: 'queued' })).toEqual([]);
  });

  it('a published article is delivered, signed per Standard Webhooks, through the durable job', async () => {
    const ep = await registerEndpoint(h.app, admin, rx.url, ['article.published']);
    const other = await registerEndpoint(h.app, admin, `${rx.url}?second`, ['article.published', 'comment.approved']);
    await registerEndpoint(h.app, admin, `${rx.url}?comments-only`, ['comment.submitted']);
    const a = await makeArticle(h.t.db, { headline: 'Harbor Bridge Reopens', section: 'Politics', tags: ['Transport'] });
    // One delivery per subscribed endpoint, one waiting job for all of them.
    expect((await deliveries()).map((d) => d.endpoint_id).sort()).toEqual([ep.id, other.id].sort());
    expect(await findJobs(h.t.db, { key: WEBHOOK_JOB_KEY, status: 'queued' })).toHaveLength(1);

    const runner = createJobRunner({ db: h.t.db, handlers: { [WEBHOOK_JOB]: webhookJobHandler(h.t.db, h.t.config) } });
    expect(await runner.runDue()).toBeGreaterThanOrEqual(1);
    expect(rx.received).toHaveLength(2);
    const got = rx.received.find((r) => r.url === '/hook');
    if (!got) throw new Error('nothing received at /hook');
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    const id = String(got.headers['webhook-id']);
    const ts = String(got.headers['webhook-timestamp']);
    expect(id).toMatch(/^msg_/);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(3600);
    expect(got.headers['webhook-signature']).toBe(expectedSignature(ep.secret, id, ts, got.body));
    // The other endpoint's secret does not verify this one's message.
    expect(got.headers['webhook-signature']).not.toBe(expectedSignature(other.secret, id, ts, got.body));

    const body = JSON.parse(got.body);
    expect(body.type).toBe('article.published');
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(body.data).toMatchObject({
      id: a.id,
      headline: 'Harbor Bridge Reopens',
      status: 'published',
      section: 'Politics',
      tags: ['Transport'],
      url: `https://news.example.org/politics/${a.slug}`,
    });
    expect((await deliveries()).every((d) => d.status === 'delivered' && d.response_code === 200 && d.attempts === 1)).toBe(true);

    // The log keeps settled deliveries for 30 days.
    expect(await pruneDeliveries(h.t.db, new Date(Date.now() + 29 * 24 * HOUR))).toBe(0);
    expect(await pruneDeliveries(h.t.db, new Date(Date.now() + 31 * 24 * HOUR))).toBe(2);
  });

  it("a comment's delivery carries its id, article, body and status, never the commenter's email", async () => {
    const ep = await registerEndpoint(h.app, admin, rx.url, ['comment.submitted']);
    const a = await makeArticle(h.t.db);
    const posted = await h.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${a.id}/comments`,
      payload: { name: 'Rita Reader', email: 'rita.private@example.com', body: 'The bridge closure cost me an hour a day.' },
    });
    expect(posted.statusCode).toBe(202);
    await deliverDue(h.t.db);
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0];
    expect(got.headers['webhook-signature']).toBe(
      expectedSignature(ep.secret, String(got.headers['webhook-id']), String(got.headers['webhook-timestamp']), got.body),
    );
    const body = JSON.parse(got.body);
    expect(body.type).toBe('comment.submitted');
    expect(body.data).toMatchObject({
      id: posted.json().id,
      article_id: a.id,
      body: 'The bridge closure cost me an hour a day.',
      status: 'pending',
      name: 'Rita Reader',
    });
    expect(got.body).not.toContain('rita.private');
    expect(got.body).not.toContain('ip_hash');
  });

  it('a failing endpoint is retried with back-off, then the delivery fails; after days of failures the endpoint is switched off', async () => {
    rx.answer = 503;
    const ep = await registerEndpoint(h.app, admin, rx.url, ['article.published']);
    await makeArticle(h.t.db);
    const t0 = new Date();
    expect(await deliverDue(h.t.db, { now: t0 })).toBe(1);
    let [d] = await deliveries();
    expect(d).toMatchObject({ status: 'pending', attempts: 1, response_code: 503 });
    expect(d.error).toContain('503');
    expect(Date.parse(d.next_attempt_at ?? '')).toBe(t0.getTime() + 5000);
    // Not due yet: nothing is sent.
    expect(await deliverDue(h.t.db, { now: new Date(t0.getTime() + 1000) })).toBe(0);

    // Every retry, each when it falls due, with the same message id.
    let now = t0;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      now = new Date(Date.parse(d.next_attempt_at ?? ''));
      expect(await deliverDue(h.t.db, { now })).toBe(1);
      [d] = await deliveries();
      expect(d.attempts).toBe(attempt);
    }
    expect(d.status).toBe('failed');
    expect(d.next_attempt_at).toBeNull();
    expect(now.getTime() - t0.getTime()).toBeGreaterThan(20 * HOUR);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(rx.received).toHaveLength(MAX_ATTEMPTS);
    let endpoint = await h.t.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', ep.id).executeTakeFirstOrThrow();
    expect(endpoint.enabled).toBe(1);
    expect(endpoint.failing_since).toBe(t0.toISOString());

    // Days later the next event fails too: the endpoint is switched off and the newsroom says so.
    await makeArticle(h.t.db);
    const later = new Date(t0.getTime() + DISABLE_AFTER_MS + HOUR);
    expect(await deliverDue(h.t.db, { now: later })).toBe(1);
    endpoint = await h.t.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', ep.id).executeTakeFirstOrThrow();
    expect(endpoint.enabled).toBe(0);
    expect(endpoint.disabled_reason).toMatch(/Switched off/);
    const api = await h.app.inject({ url: `/api/v1/webhooks/${ep.id}`, headers: { authorization: `Bearer ${admin}` } });
    expect(api.json()).toMatchObject({ enabled: false });
    // A disabled endpoint gets no new deliveries.
    await makeArticle(h.t.db);
    expect((await deliveries()).filter((x) => x.status === 'pending')).toEqual([]);
  });

  it('a success clears the failure record; resend sends the same body again under a new id', async () => {
    rx.answer = 500;
    const ep = await registerEndpoint(h.app, admin, rx.url, ['article.published']);
    await makeArticle(h.t.db);
    await deliverDue(h.t.db);
    const [first] = await deliveries();
    rx.answer = 204;
    await h.t.db.transaction().execute((trx) => resendDelivery(trx, ep.id, first.id));
    expect(await findJobs(h.t.db, { key: WEBHOOK_JOB_KEY, status: 'queued' })).toHaveLength(1);
    await deliverDue(h.t.db);
    const rows = await deliveries();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ status: 'delivered', response_code: 204, payload: first.payload });
    expect(rows[1].msg_id).not.toBe(first.msg_id);
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1].body).toBe(rx.received[0].body);
    const endpoint = await h.t.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', ep.id).executeTakeFirstOrThrow();
    expect(endpoint.failing_since).toBeNull();
  });

  it('reads at most a bounded part of a large answer, and gives up on a silent endpoint', async () => {
    rx.answer = (res) => {
      // An answer that never ends: only the bounded read lets the attempt finish.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk)) {}
        res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    };
    await registerEndpoint(h.app, admin, rx.url, ['article.published']);
    await makeArticle(h.t.db);
    await deliverDue(h.t.db, { timeoutMs: 60_000 });
    let [d] = await deliveries();
    expect(d).toMatchObject({ status: 'delivered', response_code: 200, error: null });
    expect(d.response_excerpt?.length).toBeLessThanOrEqual(1000);

    await h.t.db.deleteFrom('webhook_deliveries').execute();
    rx.answer = () => undefined; // never answers
    await makeArticle(h.t.db);
    await deliverDue(h.t.db, { timeoutMs: 300 });
    [d] = await deliveries();
    expect(d).toMatchObject({ status: 'pending', attempts: 1, response_code: null });
    expect(d.error).toMatch(/no complete answer within/);
  });

  it('refuses to connect to a private address at delivery time when private addresses are not allowed', async () => {
    await registerEndpoint(h.app, admin, rx.url, ['article.published']);
    const port = new URL(rx.url).port;
    await registerEndpoint(h.app, admin, `http://localhost:${port}/hook`, ['article.published']);
    await makeArticle(h.t.db);
    await deliverDue(h.t.db, { allowPrivate: false });
    expect(rx.received).toEqual([]);
    const rows = await deliveries();
    expect(rows).toHaveLength(2);
    for (const d of rows) {
      expect(d.status).toBe('pending');
      expect(d.response_code).toBeNull();
      expect(d.error).toMatch(/may not reach/);
    }
  });
});
