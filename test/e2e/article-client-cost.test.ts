import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

/** An approved comment written `ageSeconds` ago, so the page has a relative time to keep true. */
async function addComment(db: Kysely<Database>, articleId: number, name: string, ageSeconds: number): Promise<void> {
  const at = new Date(Date.now() - ageSeconds * 1000).toISOString();
  const row = await db
    .insertInto('comments')
    .values({
      article_id: articleId,
      parent_id: null,
      root_id: null,
      depth: 0,
      commenter_id: null,
      name,
      body: `A comment from ${name}.`,
      body_hash: `h-${name}`,
      status: 'approved',
      reasons: '[]',
      spam_score: null,
      trained_as: null,
      ip_hash: null,
      source: 'api',
      open_reports: 0,
      reject_reason: null,
      created_at: at,
      moderated_at: at,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('comments').set({ root_id: row.id }).where('id', '=', row.id).execute();
}

/**
 * Runs before any page script: counts the RelativeTimeFormat formatters built, by locale, and
 * records the main thread's long tasks (50 ms or more) from the start of the load.
 */
function instrument() {
  const w = window as unknown as { __rtf: string[]; __longTasks: number[] };
  w.__rtf = [];
  w.__longTasks = [];
  // A proxy keeps `instanceof`, the statics and the prototype of the real constructor.
  (Intl as { RelativeTimeFormat: typeof Intl.RelativeTimeFormat }).RelativeTimeFormat = new Proxy(Intl.RelativeTimeFormat, {
    construct(target, args, newTarget) {
      w.__rtf.push(String(args[0] ?? 'default'));
      return Reflect.construct(target, args, newTarget);
    },
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__longTasks.push(Math.round(entry.duration));
  }).observe({ type: 'longtask', buffered: true });
}

/** Resolves once the browser has been idle (the article script defers its relative times to then). */
const settled = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        requestIdleCallback(() => setTimeout(resolve, 100), { timeout: 3000 });
      }),
  );

describe('the article page builds its date formatters only when it has dates to format (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let quiet: string;
  let discussed: string;
  const problems: string[] = [];
  const figures: string[] = [];

  async function load(url: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await context.addInitScript(instrument);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    // The script ran: it reveals the copy-link button.
    await page.locator('.share-copy').first().waitFor({ state: 'visible' });
    return { context, page };
  }

  const measured = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { __rtf?: string[]; __longTasks?: number[] };
      return { rtf: w.__rtf, longTasks: w.__longTasks };
    });

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    quiet = (await makeArticle(h.t.db, { headline: 'Nobody has commented yet' })).url;
    // Long enough that what follows the article starts well below a phone's first screens.
    const body = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i + 1} of a long report, with enough words in it to fill a few lines on a phone screen.`,
    ).join('\n\n');
    const busy = await makeArticle(h.t.db, { headline: 'Readers have views', body });
    discussed = busy.url;
    await addComment(h.t.db, busy.id, 'Ana', 3 * 3600);
    await addComment(h.t.db, busy.id, 'Ben', 2 * 86400);
    await addComment(h.t.db, busy.id, 'Cleo', 40 * 86400);
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    // Figures for the record, not asserted: long tasks vary with the machine.
    if (figures.length) console.info(`article page main-thread long tasks:\n${figures.join('\n')}`);
    await browser?.close();
    await h?.close();
  });

  it('builds no RelativeTimeFormat on an article without comments', async () => {
    const { context, page } = await load(quiet);
    try {
      expect(await page.locator('time[data-relative]').count()).toBe(0);
      await settled(page);
      const { rtf, longTasks } = await measured(page);
      figures.push(`  no comments: ${longTasks?.length} long task(s) [${longTasks?.join(', ')}] ms`);
      expect(rtf).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('builds one RelativeTimeFormat per locale for many comment times, and writes them', async () => {
    const { context, page } = await load(discussed);
    try {
      const times = page.locator('time[data-relative]');
      expect(await times.count()).toBe(3);
      // The script brings each time up to date and adds the full date as a tooltip.
      await page.locator('time[data-relative][title]').nth(2).waitFor({ state: 'attached' });
      await settled(page);
      const { rtf, longTasks } = await measured(page);
      figures.push(`  three comments: ${longTasks?.length} long task(s) [${longTasks?.join(', ')}] ms`);
      expect(rtf?.length).toBeGreaterThanOrEqual(1);
      expect(new Set(rtf).size).toBe(rtf?.length);
      expect((await times.allTextContents()).sort()).toEqual(['2 days ago', '3 hours ago', 'last month']);
    } finally {
      await context.close();
    }
  });

  it('leaves the discussion, related stories and footer unrendered until the reader comes near them (phone)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}${discussed}`, { waitUntil: 'load' });
      const skipped = () =>
        page.evaluate(() =>
          // What is inside them: a section with content-visibility: auto skips its contents.
          ['.discussion > h2', '.site-footer > *'].map((s) => {
            const el = document.querySelector(s);
            return el ? !el.checkVisibility({ contentVisibilityAuto: true }) : 'missing';
          }),
        );
      // Skipped at load: their layout is not part of the page's first tasks.
      expect(await skipped()).toEqual([true, true]);
      // Still in the document for find-in-page, links and screen readers.
      expect(await page.locator('#comments h2').textContent()).toBeTruthy();
      // Drawn once the reader scrolls to them, at their real size.
      await page.locator('.site-footer').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('.site-footer > *')?.checkVisibility({ contentVisibilityAuto: true }));
      await page.locator('#comments').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('.discussion > h2')?.checkVisibility({ contentVisibilityAuto: true }));
      expect(await page.locator('.discussion time[data-relative]').count()).toBe(3);
    } finally {
      await context.close();
    }
  });

  it('logged no page error', () => {
    expect(problems).toEqual([]);
  });
});
