import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxLimits } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeUser, PASSWORD } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

describe('a reader comments, a moderator approves by keyboard, the reader sees it (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let url: string;
  const problems: string[] = [];

  const context = async (javaScriptEnabled: boolean): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ javaScriptEnabled });
    await ctx.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    ctx.on('page', (p) => p.on('pageerror', (e) => problems.push(e.message)));
    return ctx;
  };

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await relaxLimits(h.app, { commentsMinFillSeconds: 1 });
    url = (await makeArticle(h.t.db)).url;
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('with JavaScript: live counter, client checks, sent without reload, pending message in place', async () => {
    const ctx = await context(true);
    const page = await ctx.newPage();
    await page.goto(`${origin}${url}`);
    await page.fill('#comment-name', 'Jay Script');
    await page.fill('#comment-email', 'jay@example.org');
    await page.fill('#comment-body', 'e\u0301😀 hello');
    expect(await page.textContent('[data-counter]')).toBe('8/5000 characters');
    await page.fill('#comment-email', 'not-an-email');
    await page.click('.comment-form button[type=submit]');
    expect(await page.textContent('#comment-email-error')).toContain('valid email');
    await page.fill('#comment-email', 'jay@example.org');
    await page.fill('#comment-body', 'Posted with JavaScript on.');
    await page.waitForTimeout(1100);
    const before = page.url();
    await page.click('.comment-form button[type=submit]');
    await page.waitForSelector('[data-comment-status]:not([hidden])');
    expect(await page.textContent('[data-comment-status]')).toContain('awaiting moderation');
    expect(page.url()).toBe(before);
    expect(await page.inputValue('#comment-body')).toBe('');
    await ctx.close();
  });

  it('without JavaScript: the plain form asks to confirm once, then posts and comes back', async () => {
    const ctx = await context(false);
    const page = await ctx.newPage();
    await page.goto(`${origin}${url}`);
    await page.fill('#comment-name', 'No Script');
    await page.fill('#comment-email', 'noscript@example.org');
    await page.fill('#comment-body', 'Posted with JavaScript off.');
    await page.click('.comment-form button[type=submit]');
    expect(await page.textContent('h1')).toBe('Confirm your comment');
    expect(await page.inputValue('#comment-body')).toBe('Posted with JavaScript off.');
    await page.waitForTimeout(1100);
    await page.click('.comment-form button[type=submit]');
    await page.waitForURL(/\?comment=pending#comments$/);
    expect(await page.textContent('.discussion')).toContain('awaiting moderation');
    expect(await page.textContent('#discussion-title')).toBe('Discussion (0 Comments)');
    await ctx.close();
  });

  it('the moderator logs in, sees both pending, approves one with j and a; the reader reloads and sees it', async () => {
    const mod = await makeUser(h.t.db, 'moderator');
    const ctx = await context(true);
    const page = await ctx.newPage();
    await page.goto(`${origin}/admin/comments`);
    await page.fill('#login-email', mod.email);
    await page.fill('#login-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/comments/);
    const rows = await page.$$eval('[data-comment-row] .comment-body', (els) => els.map((e) => e.textContent));
    expect(rows).toEqual(expect.arrayContaining(['Posted with JavaScript on.', 'Posted with JavaScript off.']));
    // Buttons are named by their label alone; the keyboard hint beside it is not part of the name.
    for (const name of ['Approve', 'Reject', 'Spam']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(2);
    // Newest first: the no-JS comment is first; move down to the JS one.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const current = await page.textContent('[data-comment-row].is-current .comment-body');
    expect(current).toBe('Posted with JavaScript on.');
    await page.keyboard.press('a');
    await page.waitForSelector('[data-comment-row].is-done');
    const status = await h.t.db.selectFrom('comments').select(['body', 'status']).orderBy('id').execute();
    expect(status).toEqual([
      { body: 'Posted with JavaScript on.', status: 'approved' },
      { body: 'Posted with JavaScript off.', status: 'pending' },
    ]);
    await ctx.close();

    const reader = await context(false);
    const again = await reader.newPage();
    await again.goto(`${origin}${url}`);
    expect(await again.textContent('#discussion-title')).toBe('Discussion (1 Comment)');
    expect(await again.textContent('.comments')).toContain('Posted with JavaScript on.');
    expect(await again.textContent('.comments')).not.toContain('Posted with JavaScript off.');
    await reader.close();
    expect(problems).toEqual([]);
  });
});
