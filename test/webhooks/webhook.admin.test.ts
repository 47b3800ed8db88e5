import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/webhooks/webhook.delivery.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type Receiver, startReceiver } from './webhook.helpers.js';

process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';

describe.each(DIALECTS)('the newsroom webhooks pages on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession;
  let rx: Receiver;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await h.close();
  });
  beforeEach(() => {
    process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';
    rx.answer = 200;
  });

  const form = (s: StaffSession, url: string, fields: [string, string][]) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', s.csrf], ...fields]).toString(),
    });

  it('only administrators reach the pages; the navigation shows them the link', async () => {
    const page = await h.app.inject({ url: '/admin/webhooks', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('New webhook');
    expect((await h.app.inject({ url: '/admin', headers: { cookie: admin.cookie } })).body).toContain('href="/admin/webhooks"');
    for (const role of ['editor', 'writer', 'moderator'] as const) {
      const s = await loginAs(h.app, h.t.db, role);
      expect((await h.app.inject({ url: '/admin/webhooks', headers: { cookie: s.cookie } })).statusCode).toBe(403);
      const post = await form(s, '/admin/webhooks', [
        ['url', rx.url],
        ['events', 'article.published'],
      ]);
      expect(post.statusCode).toBe(403);
      expect((await h.app.inject({ url: '/admin', headers: { cookie: s.cookie } })).body).not.toContain('href="/admin/webhooks"');
    }
    expect((await h.app.inject('/admin/webhooks')).statusCode).toBe(303);
    // Without the CSRF token, nothing changes.
    const forged = await h.app.inject({
      method: 'POST',
      url: '/admin/webhooks',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ url: rx.url, events: 'article.published' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
  });

  it('a refused form says why and keeps what was typed', async () => {
    process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'off';
    const res = await form(admin, '/admin/webhooks', [
      ['url', 'http://10.0.0.7/hook'],
      ['events', 'comment.reported'],
      ['description', 'Slack relay'],
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="http://10.0.0.7/hook"');
    expect(res.body).toContain('value="Slack relay"');
    expect(res.body).toMatch(/value="comment.reported" checked/);
    expect(res.body).toContain('internal address');
    process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';
    const none = await form(admin, '/admin/webhooks', [['url', 'http://127.0.0.1:9/x']]);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose at least one event');
  });

  it('adds an endpoint (secret shown once), edits, switches off and on, rotates, logs deliveries, resends and deletes', async () => {
    const added = await form(admin, '/admin/webhooks', [
      ['url', rx.url],
      ['events', 'article.published'],
      ['events', 'article.updated'],
      ['description', 'Partner feed'],
    ]);
    expect(added.statusCode).toBe(201);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(added.body)?.[0];
    expect(secret).toBeTruthy();
    const row = await h.t.db.selectFrom('webhook_endpoints').selectAll().where('url', '=', rx.url).executeTakeFirstOrThrow();
    expect(row.secret).toBe(secret);
    expect(JSON.parse(row.events)).toEqual(['article.published', 'article.updated']);
    const list = await h.app.inject({ url: '/admin/webhooks', headers: { cookie: admin.cookie } });
    expect(list.body).toContain(rx.url);
    expect(list.body).not.toContain(secret);

    const edit = await form(admin, `/admin/webhooks/${row.id}`, [
      ['url', rx.url],
      ['events', 'article.published'],
      ['description', 'Partner feed (renamed)'],
    ]);
    expect(edit.statusCode).toBe(303);
    let page = await h.app.inject({ url: `/admin/webhooks/${row.id}`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain('Partner feed (renamed)');
    expect(page.body).toContain('Nothing sent yet');

    await makeArticle(h.t.db, { headline: 'Night Ferry Returns' });
    await deliverDue(h.t.db);
    page = await h.app.inject({ url: `/admin/webhooks/${row.id}`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain('article.published');
    expect(page.body).toContain('delivered');
    const deliveryId = /\/deliveries\/(\d+)\/resend/.exec(page.body)?.[1];
    expect(deliveryId).toBeTruthy();

    const resent = await form(admin, `/admin/webhooks/${row.id}/deliveries/${deliveryId}/resend`, []);
    expect(resent.statusCode).toBe(303);
    await deliverDue(h.t.db);
    expect(rx.received.filter((r) => r.body.includes('Night Ferry Returns'))).toHaveLength(2);
    expect((await form(admin, `/admin/webhooks/${row.id}/deliveries/999999/resend`, [])).statusCode).toBe(404);

    expect((await form(admin, `/admin/webhooks/${row.id}/disable`, [])).statusCode).toBe(303);
    expect(
      (await h.t.db.selectFrom('webhook_endpoints').select('enabled').where('id', '=', row.id).executeTakeFirstOrThrow()).enabled,
    ).toBe(0);
    const refusedResend = await form(admin, `/admin/webhooks/${row.id}/deliveries/${deliveryId}/resend`, []);
    expect(refusedResend.statusCode).toBe(409);
    expect((await form(admin, `/admin/webhooks/${row.id}/enable`, [])).statusCode).toBe(303);

    const rotated = await form(admin, `/admin/webhooks/${row.id}/rotate`, []);
    expect(rotated.statusCode).toBe(200);
    const newSecret = /whsec_[A-Za-z0-9+/=]+/.exec(rotated.body)?.[0];
    expect(newSecret).toBeTruthy();
    expect(newSecret).not.toBe(secret);

    page = await h.app.inject({ url: `/admin/webhooks/${row.id}`, headers: { cookie: admin.cookie } });
    expect(csrfFrom(page.body)).toBe(admin.csrf);
    expect((await form(admin, `/admin/webhooks/${row.id}/delete`, [])).statusCode).toBe(303);
    expect((await h.app.inject({ url: `/admin/webhooks/${row.id}`, headers: { cookie: admin.cookie } })).statusCode).toBe(404);
    expect(await h.t.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', row.id).execute()).toEqual([]);
  });

  it('an endpoint Gazette switched off is announced on the webhooks page', async () => {
    const at = new Date().toISOString();
    await h.t.db
      .insertInto('webhook_endpoints')
      .values({
        url: 'https://gone.example.org/hook',
        events: '["article.published"]',
        secret: 'whsec_AAAA',
        enabled: 0,
        description: '',
        created_at: at,
        updated_at: at,
        failing_since: at,
        disabled_reason: 'Switched off on 2026-12-06: every delivery failed.',
      })
      .execute();
    const page = await h.app.inject({ url: '/admin/webhooks', headers: { cookie: admin.cookie } });
    expect(page.body).toContain('role="alert"');
    expect(page.body).toContain('Switched off on 2026-12-06');
    // The dashboard tells administrators too (and nobody else).
    const dash = await h.app.inject({ url: '/admin', headers: { cookie: admin.cookie } });
    expect(dash.body).toContain('Webhook https://gone.example.org/hook was switched off');
    const editor = await loginAs(h.app, h.t.db, 'editor');
    expect((await h.app.inject({ url: '/admin', headers: { cookie: editor.cookie } })).body).not.toContain('gone.example.org');
  });
});
