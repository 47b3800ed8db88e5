import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorOf } from '../../src/analytics/beacon.routes.js';
import { createNarrator } from '../../src/narration/narration.setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM_ARGS } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

// A reader's browser as the site sees it (headless Chromium names itself, and is counted as a robot).
const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const PARAGRAPHS = Array.from(
  { length: 24 },
  (_, i) => `Paragraph ${i + 1} of the harbor report. The council met again on Tuesday and talked about the plan for the new quay walls.`,
);

interface Sent {
  type: string;
  path: string;
  value?: number;
  detail?: string;
  referrer?: string;
  screen?: string;
}

describe('the reader beacon in Chromium', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let url: string;
  let articleId: number;

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    // Comments closed: an open comment form fetches its own CSRF cookie (a security cookie of the form, not of analytics).
    const a = await makeArticle(h.t.db, { headline: 'Quay walls plan', body: PARAGRAPHS.join('\n\n'), commentsOpen: false });
    articleId = a.id;
    url = `/politics/${a.slug}`;
    const narrator = createNarrator({ db: h.t.db, dataDir: h.t.dataDir });
    try {
      await narrator.narrate(a.id);
    } finally {
      narrator.close();
    }
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('sends a view, depth as the reader scrolls, listens as the audio plays, and stores nothing on the device', async () => {
    const context = await browser.newContext({ userAgent: READER_UA, viewport: { width: 800, height: 600 } });
    const sent: Sent[] = [];
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/beacon') && r.method() === 'POST') sent.push(JSON.parse(r.postData() ?? '{}'));
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const of = (type: string) => sent.filter((s) => s.type === type);
    await page.goto(`${origin}${url}?utm_source=daily&utm_medium=email`, { waitUntil: 'load' });
    await expect.poll(() => of('view').length, { timeout: 15_000 }).toBe(1);
    expect(of('view')[0]).toMatchObject({ path: url, screen: 'm', utm_source: 'daily', utm_medium: 'email' });
    // Only the top of the body is in view so far.
    expect(of('depth').map((s) => s.value)).not.toContain(100);

    for (let y = 0; y < 12; y++) {
      await page.mouse.wheel(0, 500);
      await page.waitForTimeout(100);
    }
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect
      .poll(
        () =>
          of('depth')
            .map((s) => s.value)
            .sort((a, b) => (a ?? 0) - (b ?? 0)),
        { timeout: 15_000 },
      )
      .toEqual([25, 50, 75, 100]);

    // Nothing on the device: no cookie, no storage, no database.
    const stored = await page.evaluate(async () => ({
      cookie: document.cookie,
      local: localStorage.length,
      session: sessionStorage.length,
      idb: (await indexedDB.databases()).length,
    }));
    expect(stored).toEqual({ cookie: '', local: 0, session: 0, idb: 0 });
    expect(await context.cookies()).toEqual([]);

    const audio = page.locator('[data-player-audio]');
    await audio.evaluate(async (a: HTMLAudioElement) => {
      a.muted = true;
      await a.play();
    });
    await expect.poll(() => of('listen').map((s) => s.value), { timeout: 15_000 }).toContain(0);
    for (const share of [0.3, 0.55, 0.8]) {
      await audio.evaluate((a: HTMLAudioElement, s: number) => {
        a.currentTime = a.duration * s;
      }, share);
      await page.waitForTimeout(300);
    }
    await audio.evaluate((a: HTMLAudioElement) => {
      a.currentTime = Math.max(0, a.duration - 0.05);
    });
    await expect.poll(() => of('listen').map((s) => s.value), { timeout: 15_000 }).toEqual([0, 25, 50, 75, 100]);

    // The player remembers where a listener stopped (its own choice, kept on the device); the beacon adds nothing.
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.filter((k) => !/^gazette:(listen:|speed$|queue$)/.test(k))).toEqual([]);
    expect(await context.cookies()).toEqual([]);

    // Hiding the page sends the engaged time (in 5-second steps) once some has gathered.
    await page.waitForTimeout(5500);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => of('engaged').length, { timeout: 10_000 }).toBe(1);
    expect((of('engaged')[0].value ?? 0) % 5).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    await collectorOf(h.app.gazette).flush();
    const row = await h.t.db.selectFrom('analytics_daily').selectAll().where('article_id', '=', articleId).executeTakeFirstOrThrow();
    expect([row.views, row.visitors, row.depth100, row.listens, row.listen100]).toEqual([1, 1, 1, 1, 1]);
    const src = await h.t.db.selectFrom('analytics_sources').select(['source', 'views']).where('article_id', '=', articleId).execute();
    expect(src).toEqual([{ source: 'newsletter', views: 1 }]);
  });

  it('a headless browser that says so is not counted', async () => {
    const context = await browser.newContext({
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    });
    const page = await context.newPage();
    let beacons = 0;
    page.on('requestfinished', (r) => {
      if (r.url().endsWith('/api/v1/beacon')) beacons++;
    });
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    await expect.poll(() => beacons, { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
    await collectorOf(h.app.gazette).flush();
    const row = await h.t.db.selectFrom('analytics_daily').select('views').where('article_id', '=', articleId).executeTakeFirstOrThrow();
    expect(row.views).toBe(1);
  });
});
