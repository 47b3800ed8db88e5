import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postApi, postForm, relaxLimits, uniqueEmail } from './helpers.js';

describe.each(DIALECTS)('submitting comments on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  const url = () => `${article.url}/comments`;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    article = await makeArticle(h.t.db);
    await relaxLimits(h.app);
  });
  afterAll(() => h.close());

  it('takes a plain form post: 303 back to the article, pending, invisible until approved', async () => {
    const res = await postForm(h.app, url(), { name: 'Ana', email: uniqueEmail(), body: 'A first comment.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${article.url}?comment=pending#comments`);
    const row = await h.t.db.selectFrom('comments').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.ip_hash).toMatch(/^[0-9a-f]{40}$/);
    expect(row.ip_hash).not.toContain('203.0.113.9');
    const page = await h.app.inject(res.headers.location as string);
    expect(page.body).toContain('awaiting moderation');
    expect(page.body).toContain('Discussion (0 Comments)');
    expect(page.body).not.toContain('A first comment.');
    const events = await h.t.db.selectFrom('events').select('type').where('subject_id', '=', row.id).execute();
    expect(events.map((e) => e.type)).toContain('comment.submitted');
  });

  it('takes JSON: 202 {id, status: "pending"}', async () => {
    const res = await postApi(h.app, article.id, { name: 'Bo', email: uniqueEmail(), body: 'Via the API.' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(Number), status: 'pending' });
  });

  it('counts code points after NFC and trimming: 5000 pass, 5001 do not (emoji, combining marks)', async () => {
    const emoji = '😀'.repeat(5000);
    const combining = `  ${'e\u0301'.repeat(5000)}  `; // NFC makes each pair one code point
    for (const body of [emoji, combining]) {
      const ok = await postApi(h.app, article.id, { name: 'Long', email: uniqueEmail(), body });
      expect(ok.statusCode).toBe(202);
    }
    const tooLong = await postApi(h.app, article.id, { name: 'Long', email: uniqueEmail(), body: `${emoji}😀` });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().error).toMatchObject({ code: 'invalid', field: 'body' });
    const form = await postForm(h.app, url(), { name: 'Long', email: uniqueEmail(), body: `${'e\u0301'.repeat(5001)}` });
    expect(form.statusCode).toBe(422);
    expect(form.body).toContain('the limit is 5000');
  });

  it.each([
    [{ name: '', email: 'a@example.org', body: 'x' }, 'name'],
    [{ name: 'x'.repeat(81), email: 'a@example.org', body: 'x' }, 'name'],
    [{ name: 'Ann', email: '', body: 'x' }, 'email'],
    [{ name: 'Ann', email: 'not-an-email', body: 'x' }, 'email'],
    [{ name: 'Ann', email: 'a@example.org', body: '   \n  ' }, 'body'],
    [{ name: 'Ann', email: 'a@example.org', body: 'x', parent: '999999' }, 'parent'],
    [{ name: 'Ann', email: 'a@example.org', body: 'x', parent: 'abc' }, 'parent'],
  ])('422 for %j, naming the field, in JSON and as a page with every typed value kept', async (fields, field) => {
    const api = await postApi(h.app, article.id, fields);
    expect(api.statusCode).toBe(422);
    expect(api.json().error.field).toBe(field);
    const typed = {
      ...fields,
      name: field === 'name' ? fields.name : 'Kept <name>',
      body: field === 'body' ? fields.body : 'Kept & body <b>',
    };
    const res = await postForm(h.app, url(), typed);
    expect(res.statusCode).toBe(422);
    expect(res.headers['cache-control']).toBe('private, no-store');
    if (field !== 'name') expect(res.body).toContain('value="Kept &lt;name>"');
    if (typed.email) expect(res.body).toContain(`value="${typed.email}"`);
    if (field !== 'body') expect(res.body).toContain('Kept &amp; body &lt;b>');
    expect(res.body).toMatch(/class="(field|form)-error"/);
  });

  it('400 for malformed JSON, 413 for a body over 1 MB, 404 for an unknown article', async () => {
    const bad = await postApi(h.app, article.id, '{"name": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBeDefined();
    const big = await postApi(h.app, article.id, { name: 'Big', email: uniqueEmail(), body: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.statusCode).toBe(413);
    const bigForm = await postForm(h.app, url(), { name: 'Big', email: uniqueEmail(), body: 'x'.repeat(1024 * 1024 + 10) });
    expect(bigForm.statusCode).toBe(413);
    expect((await postApi(h.app, 99999999, { name: 'a', email: uniqueEmail(), body: 'b' })).statusCode).toBe(404);
    const form404 = await postForm(h.app, `/${article.url.split('/')[1]}/no-such-article/comments`, {
      name: 'a',
      email: uniqueEmail(),
      body: 'b',
    });
    expect(form404.statusCode).toBe(404);
  });

  it('403 when comments are closed on the article or by age, and the form becomes a notice', async () => {
    const closed = await makeArticle(h.t.db, { commentsOpen: false });
    expect((await postApi(h.app, closed.id, { name: 'a', email: uniqueEmail(), body: 'b' })).statusCode).toBe(403);
    const page = await h.app.inject(closed.url);
    expect(page.body).toContain('Comments are closed for this article.');
    expect(page.body).not.toContain('Leave a Comment');
    const old = await makeArticle(h.t.db, { published: new Date(Date.now() - 40 * 86400_000) });
    expect((await postApi(h.app, old.id, { name: 'a', email: uniqueEmail(), body: 'old one' })).statusCode).toBe(202);
    await saveSettings(h.t.db, { commentsAutoCloseDays: 30 });
    h.app.gazette.invalidateSettings();
    const res = await postForm(h.app, `${old.url}/comments`, { name: 'a', email: uniqueEmail(), body: 'late' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Comments are closed');
    expect((await h.app.inject(old.url)).body).toContain('Comments are closed for this article.');
    await saveSettings(h.t.db, { commentsAutoCloseDays: 0 });
    h.app.gazette.invalidateSettings();
  });

  it('no-JS fallback: a post without token gets a private confirmation page that then goes through', async () => {
    const fields = { name: 'No Script', email: uniqueEmail(), body: 'Posted from a cached page without JS.' };
    const first = await postForm(h.app, url(), fields, { tokens: false });
    expect(first.statusCode).toBe(422);
    expect(first.body).toContain('press “Post comment” again');
    expect(first.body).toContain('Posted from a cached page without JS.');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1];
    const stamp = /name="_ts" value="([^"]+)"/.exec(first.body)?.[1];
    expect(csrf && stamp).toBeTruthy();
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    // Sent again at once: still faster than the minimum fill-in time.
    const tooFast = await h.app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
      payload: new URLSearchParams({ ...fields, _csrf: csrf!, _ts: stamp! }).toString(),
    });
    expect(tooFast.statusCode).toBe(422);
    await saveSettings(h.t.db, { commentsMinFillSeconds: 0 });
    h.app.gazette.invalidateSettings();
    const second = await h.app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
      payload: new URLSearchParams({ ...fields, _csrf: csrf!, _ts: stamp! }).toString(),
    });
    expect(second.statusCode).toBe(303);
    await saveSettings(h.t.db, { commentsMinFillSeconds: 3 });
    h.app.gazette.invalidateSettings();
  });

  it('drops honeypot posts quietly and keeps the shared article page free of per-reader tokens', async () => {
    const before = await h.t.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const res = await postForm(h.app, url(), { name: 'Bot', email: uniqueEmail(), body: 'Buy now', website: 'http://spam.example' });
    expect(res.statusCode).toBe(303);
    const after = await h.t.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const page = await h.app.inject(article.url);
    expect(page.body).toMatch(/name="_csrf" value(="")?\/>/);
    expect(page.body).toMatch(/name="_ts" value(="")?\/>/);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('the JS path: form-encoded post asking for JSON gets 202 or a JSON error naming the field', async () => {
    const ok = await postForm(h.app, url(), { name: 'Js', email: uniqueEmail(), body: 'With script.' }, { accept: 'application/json' });
    expect(ok.statusCode).toBe(202);
    expect(ok.json().status).toBe('pending');
    const bad = await postForm(h.app, url(), { name: 'Js', email: 'nope', body: 'With script.' }, { accept: 'application/json' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('email');
  });

  it('refuses the same text twice from one commenter (409)', async () => {
    const email = uniqueEmail();
    expect((await postApi(h.app, article.id, { name: 'Dup', email, body: 'Same  words here' })).statusCode).toBe(202);
    const again = await postApi(h.app, article.id, { name: 'Dup', email, body: 'same words HERE' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('body');
  });

  it('knows a duplicate by its email from another address, or by its address under another email', async () => {
    const email = uniqueEmail();
    const body = 'Once is enough for this remark about the harbour.';
    expect((await postApi(h.app, article.id, { name: 'Dup', email, body }, '198.51.100.10')).statusCode).toBe(202);
    expect((await postApi(h.app, article.id, { name: 'Dup', email, body }, '198.51.100.11')).statusCode).toBe(409);
    expect((await postApi(h.app, article.id, { name: 'Dup', email: uniqueEmail(), body }, '198.51.100.10')).statusCode).toBe(409);
    expect((await postApi(h.app, article.id, { name: 'Other', email: uniqueEmail(), body }, '198.51.100.12')).statusCode).toBe(202);
  });

  it('429 with Retry-After per address and per email', async () => {
    await saveSettings(h.t.db, { commentsRateSeconds: 10, commentsRatePerHour: 20 });
    h.app.gazette.invalidateSettings();
    const ip = '192.0.2.77';
    expect((await postApi(h.app, article.id, { name: 'R', email: uniqueEmail(), body: 'one' }, ip)).statusCode).toBe(202);
    const second = await postApi(h.app, article.id, { name: 'R', email: uniqueEmail(), body: 'two' }, ip);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(10);
    const email = uniqueEmail();
    expect((await postApi(h.app, article.id, { name: 'R', email, body: 'three' }, '192.0.2.78')).statusCode).toBe(202);
    const sameEmail = await postForm(h.app, url(), { name: 'R', email, body: 'four' }, { ip: '192.0.2.79' });
    expect(sameEmail.statusCode).toBe(429);
    expect(sameEmail.headers['retry-after']).toBeDefined();
    expect(sameEmail.body).toContain('four');
    await relaxLimits(h.app);
  });

  it('never shows the email or address hash in public HTML or API', async () => {
    const email = uniqueEmail();
    const res = await postApi(h.app, article.id, { name: 'Private', email, body: 'Keep my email private.' });
    await h.t.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', res.json().id).execute();
    const row = await h.t.db.selectFrom('comments').select('ip_hash').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    const page = await h.app.inject(article.url);
    const api = await h.app.inject(`/api/v1/articles/${article.id}/comments`);
    expect(page.body).toContain('Keep my email private.');
    expect(api.json().items.some((c: { body: string }) => c.body === 'Keep my email private.')).toBe(true);
    for (const text of [page.body, api.body]) {
      expect(text).not.toContain(email);
      expect(text).not.toContain(row.ip_hash!.slice(0, 10));
    }
  });
});
