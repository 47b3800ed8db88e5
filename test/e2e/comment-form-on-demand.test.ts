import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxLimits } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

/**
 * The comment form's code is loaded when needed (client/lib/on-demand.ts). Here its chunk is held
 * back by the network: what the reader does meanwhile must neither be lost nor go the plain way.
 */
describe('the comment form enhanced on demand (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let url: string;
  const problems: string[] = [];

  /** A page whose chunks wait until `release()` is called. */
  async function openHeld(): Promise<{ context: BrowserContext; page: Page; release: () => void; asked: () => number }> {
    const context = await browser.newContext();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    await context.route('**/*', async (route) => {
      const u = new URL(route.request().url());
      if (u.hostname !== '127.0.0.1') return route.abort();
      if (/^\/assets\/chunk-/.test(u.pathname)) {
        asked++;
        await gate;
      }
      return route.continue();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    return { context, page, release, asked: () => asked };
  }

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await relaxLimits(h.app, { commentsMinFillSeconds: 1 });
    url = (await makeArticle(h.t.db, { headline: 'Held back' })).url;
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('holds a submit made before the code arrives, then sends it in place, once', async () => {
    const { context, page, release, asked } = await openHeld();
    try {
      await page.fill('#comment-name', 'Early Bird');
      await page.fill('#comment-email', 'early@example.org');
      await page.fill('#comment-body', 'Sent before the script was ready.');
      const before = page.url();
      await page.click('.comment-form button[type=submit]');
      // Nothing happened yet: no navigation, no message.
      await page.waitForTimeout(300);
      expect(asked()).toBeGreaterThan(0);
      expect(page.url()).toBe(before);
      expect(await page.locator('[data-form-error]').isHidden()).toBe(true);
      release();
      // Sent in place as soon as the code is there. Its form stamp is only just fetched, so the
      // server asks (as it asks a plain form sent that fast) to press again; nothing typed is lost.
      await page.waitForSelector('[data-form-error]:not([hidden])');
      expect(await page.textContent('[data-form-error]')).toContain('again');
      expect(page.url()).toBe(before);
      expect(await page.inputValue('#comment-body')).toBe('Sent before the script was ready.');
      await page.waitForTimeout(1100);
      await page.click('.comment-form button[type=submit]');
      await page.waitForSelector('[data-comment-status]:not([hidden])');
      expect(await page.textContent('[data-comment-status]')).toContain('awaiting moderation');
      expect(page.url()).toBe(before);
      const rows = await h.t.db.selectFrom('comments').select('name').where('name', '=', 'Early Bird').execute();
      expect(rows).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('counts what was typed before the code arrived', async () => {
    const { context, page, release } = await openHeld();
    try {
      await page.fill('#comment-body', 'Typed early');
      release();
      await expect.poll(() => page.textContent('[data-counter]')).toBe('11/5000 characters');
    } finally {
      await context.close();
    }
  });

  it('logged no page error', () => {
    expect(problems).toEqual([]);
  });
});
