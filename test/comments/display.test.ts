import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseCommenter } from '../../src/comments/commenter.service.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postApi, postForm, relaxLimits, uniqueEmail } from './helpers.js';

describe.each(DIALECTS)('approved comments on the article page on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  const approve = (id: number) => h.t.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', id).execute();
  const add = async (body: string, parent?: number, email = uniqueEmail(), name = 'Reader') => {
    const res = await postApi(h.app, article.id, { name, email, body, parent });
    expect(res.statusCode, res.body).toBe(202);
    await approve(res.json().id);
    return res.json().id as number;
  };
  beforeAll(async () => {
    h = await createTestApp(dialect);
    article = await makeArticle(h.t.db);
    await relaxLimits(h.app);
  });
  afterAll(() => h.close());

  it('nests replies up to the cap, then lists them flat saying whom they answer; counts approved only', async () => {
    const root = await add('Root comment');
    const r1 = await add('Reply depth one', root);
    const r2 = await add('Reply depth two', r1);
    const r3 = await add('Reply depth three', r2);
    await add('Reply depth four', r3, uniqueEmail(), 'Deep Replier');
    await postApi(h.app, article.id, { name: 'P', email: uniqueEmail(), body: 'Still pending' });
    const page = await h.app.inject(article.url);
    expect(page.body).toContain('Discussion (5 Comments)');
    expect(page.body).not.toContain('Still pending');
    expect(page.body.match(/<ol class="comment-replies">/g)).toHaveLength(3);
    expect(page.body).toMatch(/<strong class="comment-author">Deep Replier<\/strong><span class="comment-replying"> in reply to Reader/);
    const api = await h.app.inject(`/api/v1/articles/${article.id}/comments`);
    expect(api.json()).toMatchObject({ total: 5, page: 1, pages: 1 });
    expect(api.json().items[1]).toEqual({ id: r1, parent: root, name: 'Reader', body: 'Reply depth one', created_at: expect.any(String) });
  });

  it('replies through the no-JS reply page', async () => {
    const [first] = (await h.app.inject(`/api/v1/articles/${article.id}/comments`)).json().items;
    const page = await h.app.inject(`/comments/${first.id}/reply`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain(`name="parent" value="${first.id}"`);
    expect(page.body).toMatch(/name="_ts" value="\d+\.[\w-]+"/);
    const res = await postForm(h.app, `${article.url}/comments`, {
      name: 'Replier',
      email: uniqueEmail(),
      body: 'A reply',
      parent: String(first.id),
    });
    expect(res.statusCode).toBe(303);
    const row = await h.t.db.selectFrom('comments').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ parent_id: first.id, root_id: first.id, depth: 1 });
  });

  it('pages 50 threads at a time and sorts oldest or newest first', async () => {
    const other = await makeArticle(h.t.db);
    const prev = article;
    article = other;
    for (let i = 1; i <= 52; i++) await add(`Thread number ${String(i).padStart(2, '0')}`);
    const first = await h.app.inject(other.url);
    expect(first.body).toContain('Discussion (52 Comments)');
    expect(first.body).toContain('Thread number 01');
    expect(first.body).not.toContain('Thread number 51');
    expect(first.body).toContain(`href="${other.url}?cpage=2#comments"`);
    const second = await h.app.inject(`${other.url}?cpage=2`);
    expect(second.body).toContain('Thread number 52');
    expect(second.body).not.toContain('Thread number 01');
    const newest = await h.app.inject(`${other.url}?csort=newest`);
    expect(newest.body.indexOf('Thread number 52')).toBeGreaterThan(-1);
    expect(newest.body).not.toContain('Thread number 01');
    article = prev;
  });

  it('auto-approves trusted commenters when the setting is on', async () => {
    const email = uniqueEmail();
    await add('Trusted one', undefined, email);
    await add('Trusted two', undefined, email);
    await h.t.db.updateTable('commenters').set({ approved_count: 2 }).where('email', '=', email).execute();
    await saveSettings(h.t.db, { commentsAutoApprove: 2 });
    h.app.gazette.invalidateSettings();
    const res = await postApi(h.app, article.id, { name: 'T', email, body: 'Goes straight up' });
    expect(res.json().status).toBe('approved');
    expect((await h.app.inject(article.url)).body).toContain('Goes straight up');
    await saveSettings(h.t.db, { commentsAutoApprove: 0 });
    h.app.gazette.invalidateSettings();
  });

  it('erases a commenter: their comments go, comments with replies become placeholders', async () => {
    const email = uniqueEmail();
    const parent = await add('Erase me, I have a reply', undefined, email, 'Eraser');
    await add('A reply that stays', parent);
    await add('Erase me too', undefined, email, 'Eraser');
    const result = await eraseCommenter(h.t.db, email.toUpperCase());
    expect(result).toEqual({ found: true, deleted: 1, anonymised: 1 });
    const page = await h.app.inject(article.url);
    expect(page.body).not.toContain('Erase me');
    expect(page.body).not.toContain('Eraser');
    expect(page.body).toContain('This comment was removed.');
    expect(page.body).toContain('A reply that stays');
    expect(await h.t.db.selectFrom('commenters').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    expect((await eraseCommenter(h.t.db, email)).found).toBe(false);
  });
});
