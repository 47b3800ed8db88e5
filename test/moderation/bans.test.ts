import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseCommenter } from '../../src/comments/commenter.service.js';
import { postApi, postForm, relaxLimits, uniqueEmail } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const HOUR = 3_600_000;
const past = () => new Date(Date.now() - 60_000).toISOString();
let n = 0;

describe.each(DIALECTS)('commenter bans on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  let mod: StaffSession & { userId: number };

  /** A comment by `email` from `ip` through the JSON API; its id. */
  const comment = async (email: string, ip: string) => {
    const res = await postApi(h.app, article.id, { name: 'Pat Reader', email, body: `Comment number ${++n} for the ban tests` }, ip);
    expect(res.statusCode, res.body).toBe(202);
    return res.json().id as number;
  };
  const post = (url: string, s: StaffSession, fields: Record<string, string>, csrf = true) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: s.cookie },
      payload: new URLSearchParams({ ...(csrf ? { _csrf: s.csrf } : {}), ...fields }).toString(),
    });
  const bansOf = (commentId: number) =>
    h.t.db.selectFrom('comment_bans').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
  const stored = async (body: string) => (await h.t.db.selectFrom('comments').select('id').where('body', '=', body).execute()).length;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await relaxLimits(h.app);
    article = await makeArticle(h.t.db);
    mod = await loginAs(h.app, h.t.db, 'moderator');
  });
  afterAll(() => h.close());

  it('bans the commenter by email only: others at the same address still comment; the banned one is told (form and API)', async () => {
    const email = uniqueEmail();
    const id = await comment(email, '192.0.2.10');
    const res = await post(`/admin/comments/${id}/ban`, mod, { [`reason-${id}`]: 'Abuse of other readers', next: '/admin/comments' });
    expect(res.statusCode).toBe(303);
    expect(decodeURIComponent(String(res.headers.location))).toContain('its commenter banned');
    const [ban, ...more] = await bansOf(id);
    expect(more).toEqual([]);
    expect(ban).toMatchObject({ kind: 'email', reason: 'Abuse of other readers', expires_at: null, lifted_at: null });
    expect(ban.created_by_user_id).toBe(mod.userId);
    expect(ban.created_by_name).toMatch(/moderator person/);
    expect(ban.value_hash).not.toContain('@');
    const row = await h.t.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('spam');

    // Someone else behind the same address is not affected.
    await comment(uniqueEmail(), '192.0.2.10');

    // The banned commenter, from anywhere: a clear 403, nothing stored.
    const api = await postApi(h.app, article.id, { name: 'Pat Reader', email, body: 'Let me back in please' }, '192.0.2.99');
    expect(api.statusCode).toBe(403);
    expect(api.json()).toEqual({ error: { code: 'banned', message: 'You can no longer comment on this site.' } });
    const typed = 'My carefully written <reply> that should not be lost';
    const form = await postForm(h.app, `${article.url}/comments`, { name: 'Pat Reader', email, body: typed }, { ip: '192.0.2.98' });
    expect(form.statusCode).toBe(403);
    expect(form.headers['content-type']).toMatch(/text\/html/);
    expect(form.body).toContain('<h1>You cannot comment</h1>');
    expect(form.body).toMatch(/<p class="form-error" role="alert"[^>]*>You can no longer comment on this site\.<\/p>/);
    expect(form.body).toMatch(/<textarea[^>]*id="comment-body"[^>]*>My carefully written &lt;reply> that should not be lost<\/textarea>/);
    expect(await stored('Let me back in please')).toBe(0);
    expect(await stored(typed)).toBe(0);
  });

  it('an address ban stops everyone at that address until it ends; ended bans are ignored', async () => {
    const email = uniqueEmail();
    const id = await comment(email, '192.0.2.20');
    const res = await post(`/admin/comments/${id}/ban`, mod, {
      [`reason-${id}`]: 'Flooding from one network',
      [`ban-expires-${id}`]: '7d',
      [`ban-address-${id}`]: 'on',
      [`ban-address-for-${id}`]: '24h',
    });
    expect(res.statusCode).toBe(303);
    const bans = await bansOf(id);
    expect(bans.map((b) => b.kind)).toEqual(['email', 'ip']);
    const ends = bans.map((b) => Date.parse(b.expires_at ?? '') - Date.now());
    expect(ends[0]).toBeGreaterThan(7 * 24 * HOUR - 60_000);
    expect(ends[0]).toBeLessThanOrEqual(7 * 24 * HOUR);
    expect(ends[1]).toBeGreaterThan(24 * HOUR - 60_000);
    expect(ends[1]).toBeLessThanOrEqual(24 * HOUR);

    const other = uniqueEmail();
    const blocked = await postApi(h.app, article.id, { name: 'Neighbour', email: other, body: 'Same network, new person' }, '192.0.2.20');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.message).toMatch(
      /^You cannot comment on this site from this network address until \d{1,2} \w+ \d{4} at \d\d:\d\d UTC\.$/,
    );
    const banned = await postApi(h.app, article.id, { name: 'Pat', email, body: 'From elsewhere' }, '192.0.2.21');
    expect(banned.json().error.message).toMatch(/^You cannot comment on this site until .+ UTC\.$/);
    await comment(other, '192.0.2.21');

    // Once past its end, the address ban no longer applies; nor does the commenter's.
    await h.t.db.updateTable('comment_bans').set({ expires_at: past() }).where('id', '=', bans[1].id).execute();
    await comment(other, '192.0.2.20');
    expect((await postApi(h.app, article.id, { name: 'Pat', email, body: 'Still banned by email' }, '192.0.2.22')).statusCode).toBe(403);
    await h.t.db.updateTable('comment_bans').set({ expires_at: past() }).where('id', '=', bans[0].id).execute();
    await comment(email, '192.0.2.20');

    const ended = await h.app.inject({ url: '/admin/comments/bans?state=ended', headers: { cookie: mod.cookie } });
    expect(ended.body).toContain(`data-ban="${bans[1].id}"`);
    expect(ended.body).toContain('Flooding from one network');
    const active = await h.app.inject({ url: '/admin/comments/bans', headers: { cookie: mod.cookie } });
    expect(active.body).not.toContain(`data-ban="${bans[0].id}"`);
  });

  it('a ban needs a reason: the desk says so with the choices kept, and nothing is banned', async () => {
    const id = await comment(uniqueEmail(), '192.0.2.30');
    const res = await post(`/admin/comments/${id}/ban`, mod, {
      [`reason-${id}`]: '  ',
      [`ban-expires-${id}`]: '30d',
      [`ban-address-${id}`]: 'on',
      [`ban-address-for-${id}`]: '7d',
      next: '/admin/comments?queue=pending',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`Comment ${id}: Give a reason for the ban.`);
    const row = new RegExp(`data-comment-row="${id}"[\\s\\S]*?</li>`).exec(res.body)?.[0] ?? '';
    expect(row).toMatch(/<details class="mod-ban" open/);
    expect(row).toMatch(/<option value="30d" selected/);
    expect(row).toMatch(/name="ban-address-\d+" value="on" checked/);
    expect(row).toMatch(/<option value="7d" selected/);
    expect(await bansOf(id)).toEqual([]);
    const bad = await post(`/admin/comments/${id}/ban`, mod, { [`reason-${id}`]: 'x', [`ban-expires-${id}`]: 'forever' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose how long the ban lasts');
    const status = await h.t.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(status.status).toBe('pending');
  });

  it('the bans page shows who, why, by whom and until when; Lift needs CSRF and the role, is logged, and lets them back', async () => {
    const email = uniqueEmail();
    const id = await comment(email, '192.0.2.40');
    await post(`/admin/comments/${id}/ban`, mod, { [`reason-${id}`]: 'Threats <b>' });
    const [ban] = await bansOf(id);
    const page = await h.app.inject({ url: '/admin/comments/bans', headers: { cookie: mod.cookie } });
    expect(page.statusCode).toBe(200);
    const row = new RegExp(`<tr data-ban="${ban.id}">[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
    expect(row).toContain(`Pat Reader &lt;${email}>`);
    expect(row).toContain('Threats &lt;b>');
    expect(row).toMatch(/moderator person/);
    expect(row).toContain('No end');
    expect(row).toContain(`action="/admin/comments/bans/${ban.id}/lift"`);
    expect(row).toMatch(/name="_csrf" value="[^"]+"/);

    const lift = `/admin/comments/bans/${ban.id}/lift`;
    const writer = await loginAs(h.app, h.t.db, 'writer');
    expect((await h.app.inject({ url: '/admin/comments/bans', headers: { cookie: writer.cookie } })).statusCode).toBe(403);
    expect((await h.app.inject('/admin/comments/bans')).headers.location).toMatch(/^\/admin\/login/);
    expect((await post(lift, writer, {})).statusCode).toBe(403);
    expect((await post(lift, mod, { reason: 'no token' }, false)).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: lift, headers: FORM, payload: '' })).statusCode).toBe(303);
    expect((await bansOf(id))[0].lifted_at).toBeNull();

    const done = await post(lift, mod, { reason: 'Appeal accepted' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toMatch(/^\/admin\/comments\/bans\?done=/);
    const [lifted] = await bansOf(id);
    expect(lifted).toMatchObject({ lift_reason: 'Appeal accepted', lifted_by_user_id: mod.userId });
    expect(lifted.lifted_at).not.toBeNull();
    await comment(email, '192.0.2.41');
    expect((await post(lift, mod, {})).statusCode).toBe(409);
    expect((await post('/admin/comments/bans/99999999/lift', mod, {})).statusCode).toBe(404);

    const history = await h.app.inject({ url: '/admin/comments/bans?state=ended', headers: { cookie: mod.cookie } });
    expect(history.body).toMatch(/Lifted <time[^>]*>[^<]+<\/time> by moderator person \d+: Appeal accepted/);
    const log = await h.t.db.selectFrom('moderation_log').select(['action', 'reason']).where('comment_id', '=', id).orderBy('id').execute();
    expect(log).toEqual([
      { action: 'ban email, no end', reason: 'Threats <b>' },
      { action: 'lift ban email', reason: 'Appeal accepted' },
    ]);
    const logPage = await h.app.inject({ url: '/admin/comments/log', headers: { cookie: mod.cookie } });
    expect(logPage.body).toContain('lift ban email');
    const event = await h.t.db.selectFrom('events').select('payload').where('type', '=', 'commenter.unbanned').execute();
    expect(event.some((e) => JSON.parse(e.payload).banId === ban.id)).toBe(true);
  });

  it('a ban outlives the erasure of the commenter it names', async () => {
    const email = uniqueEmail();
    const id = await comment(email, '192.0.2.60');
    await post(`/admin/comments/${id}/ban`, mod, { [`reason-${id}`]: 'Erased later' });
    const [ban] = await bansOf(id);
    expect((await eraseCommenter(h.t.db, email)).found).toBe(true);
    const after = await h.t.db.selectFrom('comment_bans').selectAll().where('id', '=', ban.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ commenter_id: null, comment_id: null, value_hash: ban.value_hash, lifted_at: null });
    const page = await h.app.inject({ url: '/admin/comments/bans', headers: { cookie: mod.cookie } });
    expect(new RegExp(`<tr data-ban="${ban.id}">[\\s\\S]*?</tr>`).exec(page.body)?.[0]).toContain('an erased or unlinked commenter');
    expect((await postApi(h.app, article.id, { name: 'Pat', email, body: 'Back after erasure' }, '192.0.2.61')).statusCode).toBe(403);
  });

  it('the moderation API lists, creates and lifts bans, for desk roles only, and documents them', async () => {
    const email = uniqueEmail();
    const id = await comment(email, '192.0.2.50');
    const token = await makeToken(h.t.db, 'editor');
    const writer = await makeToken(h.t.db, 'writer');
    const call = (method: 'GET' | 'POST', url: string, auth: string | null, payload?: object) =>
      h.app.inject({ method, url, headers: auth ? { authorization: `Bearer ${auth}` } : {}, ...(payload ? { payload } : {}) });

    expect((await call('POST', `/api/v1/comments/${id}/ban`, token, {})).statusCode).toBe(400);
    expect((await call('POST', `/api/v1/comments/${id}/ban`, token, { reason: 'x', expires: 'forever' })).statusCode).toBe(400);
    expect(
      (await call('POST', `/api/v1/comments/${id}/ban`, token, { reason: 'x', address: true, address_expires: 'never' })).statusCode,
    ).toBe(400);
    for (const [auth, status] of [
      [null, 401],
      [writer, 403],
    ] as const) {
      expect((await call('POST', `/api/v1/comments/${id}/ban`, auth, { reason: 'x' })).statusCode).toBe(status);
      expect((await call('GET', '/api/v1/comment-bans', auth)).statusCode).toBe(status);
      expect((await call('POST', '/api/v1/comment-bans/1/lift', auth, {})).statusCode).toBe(status);
    }
    // A staff session calling the API must send the CSRF header.
    const session = await h.app.inject({
      method: 'POST',
      url: `/api/v1/comments/${id}/ban`,
      headers: { cookie: mod.cookie },
      payload: { reason: 'no header' },
    });
    expect(session.statusCode).toBe(403);

    const created = await call('POST', `/api/v1/comments/${id}/ban`, token, { reason: 'Spam run', address: true, expires: '30d' });
    expect(created.statusCode).toBe(200);
    const body = created.json();
    expect(body).toMatchObject({ id, status: 'spam' });
    expect(body.bans).toHaveLength(2);
    expect(body.bans[0]).toMatchObject({
      kind: 'email',
      commenter: { name: 'Pat Reader', email },
      comment_id: id,
      ip_fingerprint: null,
      reason: 'Spam run',
      created_by: { name: 'editor token' },
      lifted_at: null,
      lifted_by: null,
      active: true,
    });
    expect(Date.parse(body.bans[0].expires_at) - Date.now()).toBeGreaterThan(29 * 24 * HOUR);
    expect(body.bans[1]).toMatchObject({ kind: 'ip', ip_fingerprint: expect.stringMatching(/^[0-9a-f]{10}$/), active: true });
    expect(Date.parse(body.bans[1].expires_at) - Date.now()).toBeLessThanOrEqual(24 * HOUR);

    const list = await call('GET', '/api/v1/comment-bans', token);
    const ids = list.json().items.map((b: { id: number }) => b.id);
    expect(ids).toEqual(expect.arrayContaining(body.bans.map((b: { id: number }) => b.id)));
    expect(list.json().total).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/api/v1/comment-bans?state=bogus', token)).statusCode).toBe(400);

    const address = body.bans[1].id;
    const lifted = await call('POST', `/api/v1/comment-bans/${address}/lift`, token, { reason: 'Shared office network' });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({
      id: address,
      active: false,
      lift_reason: 'Shared office network',
      lifted_by: { name: 'editor token' },
    });
    expect((await call('POST', `/api/v1/comment-bans/${address}/lift`, token)).statusCode).toBe(409);
    expect((await call('POST', '/api/v1/comment-bans/99999999/lift', token)).statusCode).toBe(404);
    const ended = await call('GET', '/api/v1/comment-bans?state=ended', token);
    expect(ended.json().items.map((b: { id: number }) => b.id)).toContain(address);
    // The address is free again; the commenter is still banned.
    await comment(uniqueEmail(), '192.0.2.50');
    expect((await postApi(h.app, article.id, { name: 'Pat', email, body: 'Again' }, '192.0.2.51')).statusCode).toBe(403);
    const log = await h.t.db.selectFrom('moderation_log').select('action').where('comment_id', '=', id).orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual([
      expect.stringMatching(/^ban email, until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      expect.stringMatching(/^ban address, until /),
      'lift ban address',
    ]);

    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/comment-bans', '/api/v1/comments/{id}/ban', '/api/v1/comment-bans/{id}/lift', '/api/v1/comments']),
    );
    expect(doc.paths['/api/v1/comments/{id}/ban'].post.requestBody.content['application/json'].schema.required).toEqual(['reason']);
  });
});
