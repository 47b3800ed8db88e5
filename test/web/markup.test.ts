import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, relaxLimits, uniqueEmail } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';

/** Heading levels in document order: [1, 2, 3, …]. */
const headings = (html: string) => [...html.matchAll(/<h([1-6])\b/gi)].map((m) => Number(m[1]));

/** Each heading at most one level deeper than the one before it (h1 → h3 skips a level). */
function skippedLevels(html: string): string[] {
  const levels = headings(html);
  const skips: string[] = [];
  for (let i = 1; i < levels.length; i++) if (levels[i] > levels[i - 1] + 1) skips.push(`h${levels[i - 1]} → h${levels[i]}`);
  return skips;
}

/** The search landmarks of a page: every one named, no two with the same name. */
function searchLandmarks(html: string) {
  return tags(html, 'form')
    .filter((f) => f.role === 'search')
    .map((f) => f['aria-label'] ?? '');
}

describe.each(DIALECTS)('page markup on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  let staff: StaffSession;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await relaxLimits(h.app);
    article = await makeArticle(h.t.db, { headline: 'Harbour plan approved' });
    staff = await loginAs(h.app, h.t.db, 'editor');
  });
  afterAll(() => h?.close());

  it.each([
    ['the search page with hits', '/search?q=harbour', 200],
    ['the search page without hits', '/search?q=zeppelinwharf', 200],
    ['the 404 page', '/no-such-page', 404],
  ])('%s names each of its search landmarks differently', async (_, url, status) => {
    const res = await h.app.inject(url);
    expect(res.statusCode).toBe(status);
    const names = searchLandmarks(res.body);
    expect(names.length).toBe(2);
    expect(names.every((n) => n.trim() !== '')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('the comment error page (422) and the reply page go h1 → h2, never skipping a level', async () => {
    const refused = await postForm(h.app, `${article.url}/comments`, { name: '', email: uniqueEmail(), body: 'Kept text.' });
    expect(refused.statusCode).toBe(422);
    expect(headings(refused.body).slice(0, 2)).toEqual([1, 2]);
    expect(skippedLevels(refused.body)).toEqual([]);

    const sent = await postForm(h.app, `${article.url}/comments`, { name: 'Ana', email: uniqueEmail(), body: 'Worth a reply.' });
    expect(sent.statusCode).toBe(303);
    const row = await h.t.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await h.t.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', row.id).execute();
    const replyPage = await h.app.inject(`/comments/${row.id}/reply`);
    expect(replyPage.statusCode).toBe(200);
    expect(replyPage.body).toMatch(/<h2>Reply to Ana<\/h2>/);
    expect(skippedLevels(replyPage.body)).toEqual([]);

    // On the article page the form stays under the discussion's h2.
    const page = await h.app.inject(article.url);
    expect(page.body).toMatch(/<h3>Leave a Comment<\/h3>/);
    expect(skippedLevels(page.body.slice(page.body.indexOf('id="discussion-title"') - 10))).toEqual([]);
  });

  it('the new-article editor renders no image until there is one, and none with an empty src', async () => {
    const res = await h.app.inject({ url: '/admin/articles/new', headers: { cookie: staff.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-hero');
    expect(res.body).not.toContain('data-hero-img');
    for (const img of tags(res.body, 'img')) expect(img.src ?? '').not.toBe('');
  });

  it('the reader stylesheet stays under its budget (20 KB compressed)', async () => {
    const home = await h.app.inject('/');
    const css = tags(home.body, 'link').find((l) => l.rel === 'stylesheet')!.href;
    const res = await h.app.inject({ url: css, headers: { 'accept-encoding': 'identity' } });
    expect(res.statusCode).toBe(200);
    expect(brotliCompressSync(res.rawPayload).length).toBeLessThan(20 * 1024);
  });
});
