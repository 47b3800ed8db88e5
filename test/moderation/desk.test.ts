import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleById } from '../../src/articles/article.repo.js';
import { MemoryRateLimitStore } from '../../src/comments/comment.limiter.js';
import { submitComment } from '../../src/comments/comment.service.js';
import { countLabel, DESK_COUNT_CAP, listQueue, queueCounts, queueTotal } from '../../src/moderation/moderation.repo.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.service.js';
import { uniqueEmail } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const policy = { ...DEFAULT_SETTINGS, commentsRateSeconds: 0, commentsRatePerHour: 0 };

describe.each(DIALECTS)('the moderation desk on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  let mod: StaffSession;
  const submit = async (body: string, extra: { email?: string; parent?: number; ip?: string } = {}) => {
    const view = await findArticleById(h.t.db, article.id);
    const r = await submitComment(h.t.db, {
      article: view,
      raw: { name: 'Reader', email: extra.email ?? uniqueEmail(), body, parent: extra.parent },
      source: 'api',
      ip: extra.ip ?? '192.0.2.1',
      secret: h.t.config.secret,
      policy,
      limiter: new MemoryRateLimitStore(),
    });
    return r.id!;
  };
  const post = (url: string, s: StaffSession, fields: Record<string, string | string[]>, json = false) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: s.csrf, ...fields })) for (const x of [v].flat()) p.append(k, x);
    return h.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: s.cookie, ...(json ? { accept: 'application/json' } : {}) },
      payload: p.toString(),
    });
  };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    article = await makeArticle(h.t.db);
    mod = await loginAs(h.app, h.t.db, 'moderator');
  });
  afterAll(() => h.close());

  it('refuses the wrong people on every desk route and API call', async () => {
    const id = await submit('Role matrix comment');
    const writer = await loginAs(h.app, h.t.db, 'writer');
    const pages = [
      '/admin/comments',
      '/admin/comments?queue=reported',
      '/admin/comments/log',
      '/admin/comments/settings',
      '/admin/comments/bans',
    ];
    for (const url of pages) {
      const anon = await h.app.inject(url);
      expect(anon.statusCode, url).toBe(303);
      expect(anon.headers.location).toMatch(/^\/admin\/login/);
      expect((await h.app.inject({ url, headers: { cookie: writer.cookie } })).statusCode, url).toBe(403);
      expect((await h.app.inject({ url, headers: { cookie: mod.cookie } })).statusCode, url).toBe(200);
    }
    const posts = [
      `/admin/comments/${id}/approve`,
      `/admin/comments/${id}/reject`,
      `/admin/comments/${id}/spam`,
      `/admin/comments/${id}/ban`,
      '/admin/comments/bulk',
      '/admin/comments/settings',
      '/admin/comments/bans/1/lift',
    ];
    for (const url of posts) {
      expect((await h.app.inject({ method: 'POST', url, headers: FORM, payload: '' })).statusCode, url).toBe(303);
      expect((await post(url, writer, {})).statusCode, url).toBe(403);
      expect(
        (await h.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: mod.cookie }, payload: 'ids=1' })).statusCode,
        `${url} without CSRF`,
      ).toBe(403);
    }
    const tokens = {
      writer: await makeToken(h.t.db, 'writer'),
      moderator: await makeToken(h.t.db, 'moderator'),
      editor: await makeToken(h.t.db, 'editor'),
      admin: await makeToken(h.t.db, 'admin'),
    };
    const api = [
      { method: 'GET' as const, url: '/api/v1/comments?status=pending' },
      { method: 'POST' as const, url: `/api/v1/comments/${id}/approve` },
      { method: 'POST' as const, url: `/api/v1/comments/${id}/reject` },
      { method: 'POST' as const, url: `/api/v1/comments/${id}/spam` },
    ];
    for (const call of api) {
      expect((await h.app.inject(call)).statusCode, call.url).toBe(401);
      expect((await h.app.inject({ ...call, headers: { authorization: 'Bearer gz_nope' } })).statusCode, call.url).toBe(401);
      expect((await h.app.inject({ ...call, headers: { authorization: `Bearer ${tokens.writer}` } })).statusCode, call.url).toBe(403);
      for (const role of ['moderator', 'editor', 'admin'] as const) {
        expect(
          (await h.app.inject({ ...call, headers: { authorization: `Bearer ${tokens[role]}` } })).statusCode,
          `${call.url} ${role}`,
        ).toBe(200);
      }
    }
    // A session calling the API must send the CSRF header.
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/v1/comments/${id}/approve`, headers: { cookie: mod.cookie } })).statusCode,
    ).toBe(403);
  });

  it('shows the pending queue with everything a moderator needs, and approves with a log row and event', async () => {
    const email = uniqueEmail();
    const id = await submit('Pending comment with http://a.example http://b.example http://c.example', { email });
    const page = await h.app.inject({ url: '/admin/comments?queue=pending', headers: { cookie: mod.cookie } });
    expect(page.body).toContain(email);
    expect(page.body).toContain(article.slug);
    expect(page.body).toMatch(/ip [0-9a-f]{10}/);
    expect(page.body).toContain('Held because: 3 links (limit 2)');
    expect(page.body).toMatch(/Pending <span class="count">\(\d+\)/);
    expect(page.body).toContain('spam 50%');
    const res = await post(`/admin/comments/${id}/approve`, mod, { next: '/admin/comments?queue=pending' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/comments\?queue=pending&done=/);
    const row = await h.t.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect(row.trained_as).toBe('ham');
    const log = await h.t.db.selectFrom('moderation_log').selectAll().where('comment_id', '=', id).execute();
    expect(log).toMatchObject([{ action: 'approve', actor_name: expect.any(String) }]);
    const event = await h.t.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'comment.approved')
      .where('subject_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload)).toMatchObject({ articleId: article.id, url: article.url });
    const articlePage = await h.app.inject(article.url);
    expect(articlePage.body).toContain('Pending comment with');
    expect(articlePage.body).toContain('rel="nofollow ugc noopener"');
    expect(articlePage.body).toMatch(/Discussion \(1 Comment\)/);
    const logPage = await h.app.inject({ url: '/admin/comments/log', headers: { cookie: mod.cookie } });
    expect(logPage.body).toContain('approve');
  });

  it('rejects with a reason, marks spam, works in bulk and by JSON for the keyboard', async () => {
    const a = await submit('To be rejected');
    const b = await submit('Spammy one');
    const c = await submit('Bulk one');
    const d = await submit('Bulk two');
    expect((await post(`/admin/comments/${a}/reject`, mod, { [`reason-${a}`]: 'Off topic' })).statusCode).toBe(303);
    const spam = await post(`/admin/comments/${b}/spam`, mod, {}, true);
    expect(spam.json()).toMatchObject({ id: b, action: 'spam' });
    const bulk = await post('/admin/comments/bulk', mod, { ids: [String(c), String(d)], action: 'approve' });
    expect(bulk.statusCode).toBe(303);
    const rows = await h.t.db
      .selectFrom('comments')
      .select(['id', 'status', 'reject_reason'])
      .where('id', 'in', [a, b, c, d])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['rejected', 'spam', 'approved', 'approved']);
    expect(rows[0].reject_reason).toBe('Off topic');
    const rejected = await h.app.inject({ url: '/admin/comments?queue=rejected', headers: { cookie: mod.cookie } });
    expect(rejected.body).toContain('Rejection reason: Off topic');
    expect((await post('/admin/comments/bulk', mod, { action: 'approve' })).statusCode).toBe(422);
    expect((await post('/admin/comments/bulk', mod, { ids: '1', action: 'explode' })).statusCode).toBe(422);
    expect((await post('/admin/comments/99999999/approve', mod, {})).statusCode).toBe(404);
  });

  it('bans a commenter: the comment becomes spam, later comments from that email are refused with a 403 and not stored', async () => {
    const email = uniqueEmail();
    const id = await submit('Abusive words', { email, ip: '192.0.2.200' });
    expect((await post(`/admin/comments/${id}/ban`, mod, { reason: 'abuse' })).statusCode).toBe(303);
    expect((await h.t.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('spam');
    await expect(submit('I am back', { email, ip: '192.0.2.201' })).rejects.toMatchObject({ status: 403, code: 'banned' });
    expect(await h.t.db.selectFrom('comments').select('id').where('body', '=', 'I am back').execute()).toEqual([]);
    const bans = await h.t.db.selectFrom('comment_bans').selectAll().execute();
    expect(bans.some((b) => b.value_hash.includes('@'))).toBe(false);
  });

  it('shows a long comment collapsed, with a "Show all" control that needs no script', async () => {
    const long = `${'Sentence. '.repeat(499)}Last words`;
    expect(long).toHaveLength(5000);
    const id = await submit(long);
    const short = await submit('A short comment');
    const page = await h.app.inject({ url: '/admin/comments?queue=pending', headers: { cookie: mod.cookie } });
    const row = (cid: number) => new RegExp(`data-comment-row="${cid}"[\\s\\S]*?</li>`).exec(page.body)?.[0] ?? '';
    expect(row(id)).toMatch(
      /<div class="mod-body is-long"><div class="comment-body">[\s\S]*Last words<\/p><\/div><details class="mod-more"><summary><span class="more-closed">Show all \(5,000 characters\)<\/span>/,
    );
    expect(row(short)).not.toContain('is-long');
    expect(row(short)).not.toContain('Show all');
    // The stylesheet clips it to its first lines until the control is opened.
    const css = (await h.app.inject(/href="(\/assets\/admin[^"]*\.css)"/.exec(page.body)?.[1] ?? '/none')).body;
    expect(css).toMatch(/\.mod-body\.is-long>\.comment-body\{max-height:9\.5em;overflow:hidden/);
    expect(css).toContain('.mod-body.is-long:has(>.mod-more[open])>.comment-body{max-height:none');
  });

  it('labels the action buttons "Approve", "Reject", "Spam", with the keyboard hint in its own element', async () => {
    const id = await submit('Button names');
    const page = await h.app.inject({ url: '/admin/comments?queue=pending', headers: { cookie: mod.cookie } });
    for (const [action, label, key] of [
      ['approve', 'Approve', 'a'],
      ['reject', 'Reject', 'r'],
      ['spam', 'Spam', 's'],
    ]) {
      const button = new RegExp(`<button[^>]*formaction="/admin/comments/${id}/${action}"[^>]*>([\\s\\S]*?)</button>`).exec(page.body);
      expect(button?.[0]).toContain(`aria-keyshortcuts="${key}"`);
      expect(button?.[1]).toBe(
        `<span class="action-label">${label}</span> <span class="action-key" aria-hidden="true"><kbd>${key}</kbd></span>`,
      );
      // The accessible name: the text outside aria-hidden elements, trimmed.
      const name = button?.[1]
        .replace(/<span[^>]*aria-hidden="true"[^>]*>.*?<\/span>/g, '')
        .replace(/<[^>]+>/g, '')
        .trim();
      expect(name).toBe(label);
    }
    expect(page.body).not.toMatch(/Approvea|Rejectr|Spams/);
  });

  it('the API lists queues with staff fields and approves/rejects', async () => {
    const token = await makeToken(h.t.db, 'moderator');
    const id = await submit('API moderated comment');
    const list = await h.app.inject({ url: '/api/v1/comments?status=pending', headers: { authorization: `Bearer ${token}` } });
    const item = list.json().items.find((c: { id: number }) => c.id === id);
    expect(item).toMatchObject({
      id,
      status: 'pending',
      email: expect.stringContaining('@'),
      article: { id: article.id, url: article.url },
    });
    expect((await h.app.inject({ url: '/api/v1/comments?status=bogus', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      400,
    );
    const rej = await h.app.inject({
      method: 'POST',
      url: `/api/v1/comments/${id}/reject`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { reason: 'Personal attack' },
    });
    expect(rej.json()).toEqual({ id, status: 'rejected' });
    const rejectedList = await h.app.inject({ url: '/api/v1/comments?status=rejected', headers: { authorization: `Bearer ${token}` } });
    expect(rejectedList.json().items.some((c: { id: number }) => c.id === id)).toBe(true);
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/comments/99999999/approve', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(404);
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/comments', '/api/v1/articles/{id}/comments', '/api/v1/comments/{id}/approve', '/api/v1/form-token']),
    );
  });

  it('orders a queue by spam score, newest first among equals and unscored last; counts are capped on the desk', async () => {
    const other = await makeArticle(h.t.db);
    const ids = [await submit('Score low'), await submit('Score high'), await submit('Score none'), await submit('Score tie')];
    const scores = [0.1, 0.9, null, 0.9];
    for (const [i, id] of ids.entries()) await h.t.db.updateTable('comments').set({ spam_score: scores[i] }).where('id', '=', id).execute();
    const page = await listQueue(h.t.db, { queue: 'pending', sort: 'score', articleId: article.id, offset: 0, limit: 200 });
    const mine = page.filter((c) => ids.includes(c.id)).map((c) => c.body);
    expect(mine).toEqual(['Score tie', 'Score high', 'Score low', 'Score none']);
    expect(page.every((c) => c.article_id === article.id && c.headline && c.section_slug)).toBe(true);
    expect(await listQueue(h.t.db, { queue: 'pending', sort: 'score', articleId: other.id, offset: 0, limit: 10 })).toEqual([]);
    const second = await listQueue(h.t.db, { queue: 'pending', sort: 'newest', articleId: article.id, offset: 1, limit: 1 });
    const all = await listQueue(h.t.db, { queue: 'pending', sort: 'newest', articleId: article.id, offset: 0, limit: 200 });
    expect(second.map((c) => c.id)).toEqual([all[1].id]);
    const exact = await queueTotal(h.t.db, 'pending', article.id);
    expect(exact).toBe(all.length);
    expect((await queueCounts(h.t.db, article.id, 2)).pending).toBe(3);
    expect(countLabel(3, 2)).toBe('2+');
    expect(countLabel(1234)).toBe('1,234');
    expect(countLabel(DESK_COUNT_CAP + 1)).toBe('10,000+');
    for (const id of ids) await post(`/admin/comments/${id}/reject`, mod, { reason: 'Off topic' });
  });

  it('reports: a reader reports an approved comment, it enters the reported queue, approving resolves it', async () => {
    const id = await submit('Reported later');
    await post(`/admin/comments/${id}/approve`, mod, {});
    const form = await h.app.inject(`/comments/${id}/report`);
    expect(form.statusCode).toBe(200);
    const cookie = String(form.headers['set-cookie']).split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const empty = await h.app.inject({
      method: 'POST',
      url: `/comments/${id}/report`,
      headers: { ...FORM, accept: 'text/html', cookie },
      payload: `_csrf=${csrf}&reason=`,
    });
    expect(empty.statusCode).toBe(422);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: `/comments/${id}/report`,
      headers: { ...FORM, accept: 'text/html', cookie },
      payload: 'reason=spam',
    });
    expect(noCsrf.statusCode).toBe(403);
    const sent = await h.app.inject({
      method: 'POST',
      url: `/comments/${id}/report`,
      headers: { ...FORM, accept: 'text/html', cookie },
      payload: `_csrf=${csrf}&reason=${encodeURIComponent('Insulting <b>')}`,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('A moderator will look at this comment.');
    const queue = await h.app.inject({ url: '/admin/comments?queue=reported', headers: { cookie: mod.cookie } });
    expect(queue.body).toContain('Reported (1): Insulting &lt;b>');
    await post(`/admin/comments/${id}/approve`, mod, {});
    const after = await h.app.inject({ url: '/admin/comments?queue=reported', headers: { cookie: mod.cookie } });
    expect(after.body).not.toContain('Insulting');
    expect((await h.app.inject('/comments/99999999/report')).statusCode).toBe(404);
  });
});
