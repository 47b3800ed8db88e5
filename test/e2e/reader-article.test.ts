import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';
import { publishReference, REFERENCE } from '../helpers/reference.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
describe('a reader opens an article in Chromium', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  /** Requests that tried to leave 127.0.0.1 (all aborted). */
  const leaks: string[] = [];
  const problems: string[] = [];

  async function open(options: { width: number; javaScript?: boolean }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: options.width, height: 900 },
      javaScriptEnabled: options.javaScript ?? true,
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      leaks.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${origin}${REFERENCE.url}`, { waitUntil: 'load' });
    return { context, page };
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await createTestApp('sqlite');
    for (let i = 1; i <= 3; i++)
      await makeArticle(h.t.db, { headline: `Another politics story ${i}`, published: new Date(Date.UTC(2026, 10, i)) });
    await publishReference(h.t.db, h.app.gazette.mediaRoot);
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows the anatomy of the article, and the counter counts code points', async () => {
    const { context, page } = await open({ width: 1280 });
    try {
      await expect(page.title()).resolves.toBe(`${REFERENCE.headline} — The Gazette`);
      const visible = async (selector: string) => expect(await page.locator(selector).first().isVisible(), selector).toBe(true);
      await visible('a.kicker[href="/politics"]');
      await visible('h1');
      expect(await page.locator('h1').textContent()).toBe(REFERENCE.headline);
      await visible('.standfirst');
      await visible('.byline a[href="/author/james-thompson"]');
      expect(await page.locator('.reading-time').textContent()).toBe('3 min read');
      await visible('.dates time');
      for (const network of ['x', 'facebook', 'linkedin', 'whatsapp', 'bluesky', 'email']) await visible(`.share-${network}`);
      // JavaScript reveals the copy-link button (the clipboard API exists on this origin).
      await visible('.share-copy');
      await visible('figure.hero img');
      const hero = page.locator('figure.hero img');
      await hero.scrollIntoViewIfNeeded();
      await expect.poll(() => hero.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      // The browser picked a modern format from the <picture>.
      expect(await hero.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\.(avif|webp)$/);
      await visible('figure.hero figcaption');
      expect(await page.locator('.article-body p').count()).toBe(7);
      expect(await page.locator('#discussion-title').textContent()).toBe('Discussion (0 Comments)');
      await visible('text=Leave a Comment');
      await visible('text=Comments are moderated and will appear after approval.');
      expect(await page.locator('#related-title').textContent()).toBe('More in Politics');
      expect(await page.locator('.related .card').count()).toBe(3);

      const counter = page.locator('[data-counter]');
      const box = page.locator('textarea[name="body"]');
      expect(await counter.textContent()).toBe('0/5000 characters');
      await box.fill('Hello');
      expect(await counter.textContent()).toBe('5/5000 characters');
      await box.fill('');
      await box.pressSequentially('Hi 👋🏽');
      // "Hi", a space, the waving hand and its skin-tone modifier: 5 code points (7 UTF-16 units).
      expect(await counter.textContent()).toBe('5/5000 characters');
      // "e" + combining acute accent becomes one "é" after NFC; surrounding spaces are trimmed.
      await box.fill('  cafe\u0301  ');
      expect(await counter.textContent()).toBe('4/5000 characters');
      await box.fill('x'.repeat(5001));
      expect(await counter.textContent()).toMatch(/^5001\/5000 characters/);
      await box.fill('');

      await page.screenshot({ path: `${ARTIFACTS}article-1280.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('fits a 390 px phone screen', async () => {
    const { context, page } = await open({ width: 390 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await page.locator('h1').isVisible()).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}article-390.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('reads and works without JavaScript', async () => {
    const { context, page } = await open({ width: 1280, javaScript: false });
    try {
      expect(await page.locator('h1').textContent()).toBe(REFERENCE.headline);
      expect(await page.locator('.article-body').textContent()).toContain('Questions remain about the specifics of the draft plan');
      expect(await page.locator('figure.hero img').isVisible()).toBe(true);
      expect(await page.locator('.share-x').isVisible()).toBe(true);
      // Buttons that need JavaScript stay hidden rather than doing nothing.
      expect(await page.locator('.share-copy').isVisible()).toBe(false);
      const form = page.locator('form.comment-form');
      expect(await form.getAttribute('method')).toBe('post');
      expect(await form.getAttribute('action')).toBe(`${REFERENCE.url}/comments`);
      for (const field of ['name', 'email', 'body']) expect(await form.locator(`[name="${field}"]`).isVisible(), field).toBe(true);
      expect(await page.locator('[data-counter]').textContent()).toBe('0/5000 characters');
      await page.screenshot({ path: `${ARTIFACTS}article-1280-no-js.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('sent no request outside 127.0.0.1 and logged no error', () => {
    expect(leaks).toEqual([]);
    expect(problems).toEqual([]);
  });
});
