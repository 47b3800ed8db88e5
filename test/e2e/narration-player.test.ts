import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNarrator } from '../../src/narration/narration.setup.js';
import type { NarrationTimings } from '../../src/narration/narration.timings.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

const BODY = [
  'The harbor council met on Tuesday. It voted 7-2 for the plan.',
  'Work starts in March. The mayor said it would take two years.',
  'Critics asked about the cost. The council said it was $12 million.',
  'A final vote comes in May.',
];

describe('the article player in Chromium', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let url: string;
  let timings: NarrationTimings;
  const leaks: string[] = [];
  const problems: string[] = [];

  async function open(javaScript = true, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: javaScript });
    // What the page asks of the lock screen, and how much its layout shifts while loading.
    await context.addInitScript(() => {
      const w = window as any;
      w.__actions = [];
      w.__shift = 0;
      const set = navigator.mediaSession?.setActionHandler?.bind(navigator.mediaSession);
      if (set) {
        navigator.mediaSession.setActionHandler = (action: MediaSessionAction, handler: MediaSessionActionHandler | null) => {
          w.__actions.push(action);
          set(action, handler);
        };
      }
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) w.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === '127.0.0.1') return route.continue();
      leaks.push(u.href);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    return { context, page };
  }

  const currentTime = (page: Page) => page.locator('[data-player-audio]').evaluate((a: HTMLAudioElement) => a.currentTime);

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    const a = await makeArticle(h.t.db, { headline: 'Harbor plan approved', standfirst: 'A long night.', body: BODY.join('\n\n') });
    url = `/politics/${a.slug}`;
    const narrator = createNarrator({ db: h.t.db, dataDir: h.t.dataDir });
    try {
      await narrator.narrate(a.id);
    } finally {
      narrator.close();
    }
    const row = await h.t.db.selectFrom('narrations').select('timings').where('article_id', '=', a.id).executeTakeFirstOrThrow();
    timings = JSON.parse(row.timings!);
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('enhances the player without moving the page, and plays at the chosen speed', async () => {
    const plain = await open(false);
    const plainBox = await plain.page.locator('.listen').boundingBox();
    // Without scripts, the controls that need them take no room at all.
    const plainMore = await plain.page.locator('.listen-more').evaluate((el) => getComputedStyle(el).display);
    await plain.context.close();
    const { context, page } = await open();
    try {
      await expect.poll(() => page.locator('[data-player-ui]').isVisible()).toBe(true);
      expect(await page.locator('[data-player-audio]').isVisible()).toBe(false);
      expect(await page.locator('[data-player-later]').isVisible()).toBe(true);
      // Enhancing (and adding the paragraphs' buttons) moves nothing on the page.
      await expect.poll(() => page.locator('.article-body .para-play').count()).toBe(BODY.length);
      expect(await page.evaluate(() => (window as any).__shift)).toBeLessThan(0.001);
      const box = await page.locator('.listen').boundingBox();
      expect(Math.abs((box?.y ?? 0) - (plainBox?.y ?? 0))).toBeLessThanOrEqual(1);
      expect(plainMore).toBe('none');

      const play = page.locator('[data-player-play]');
      expect(await play.getAttribute('aria-pressed')).toBe('false');
      await play.click();
      await expect.poll(() => play.getAttribute('aria-pressed')).toBe('true');
      // A toggle button: the name stays "Play", the pressed state says it is playing.
      expect(await play.getAttribute('aria-label')).toBe('Play');
      await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(0.5);
      expect(await page.locator('[data-player-seek]').getAttribute('aria-valuetext')).toMatch(/second.* of /);

      await page.locator('[data-player-speed]').selectOption('1.5');
      expect(await page.locator('[data-player-audio]').evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(1.5);

      // Keyboard: K pauses inside the player.
      await play.focus();
      await page.keyboard.press('k');
      await expect.poll(() => play.getAttribute('aria-pressed')).toBe('false');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('highlights the sentence being read, and plays a paragraph from its start', async () => {
    const { context, page } = await open();
    try {
      const third = timings.p.find((p) => p.t === 2)!;
      const [start, from, to] = third.s[1];
      // Seek while playing, then pause there: the highlight must stay on that sentence.
      await page.locator('[data-player-play]').click();
      await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.locator('[data-player-audio]').evaluate((a: HTMLAudioElement, t: number) => {
        a.currentTime = t + 0.1;
        a.pause();
      }, start);
      await expect
        .poll(() => page.evaluate(() => (CSS as any).highlights?.get('narration')?.values().next().value?.toString() ?? null))
        .toBe(BODY[2].slice(from, to));
      expect(await page.locator('.is-reading').textContent()).toBe(BODY[2]);

      const second = timings.p.find((p) => p.t === 1)!;
      await page.locator('.article-body p').nth(1).hover();
      await page.locator('.article-body p').nth(1).locator('.para-play').click();
      await expect.poll(() => page.locator('[data-player-play]').getAttribute('aria-pressed')).toBe('true');
      const t = await currentTime(page);
      expect(t).toBeGreaterThanOrEqual(second.s[0][0] - 0.05);
      expect(t).toBeLessThan(second.s[0][0] + 1.5);
      await expect.poll(() => page.locator('.is-reading').textContent()).toBe(BODY[1]);
      expect(problems).toEqual([]);
      expect(leaks).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps the paragraphs out of the reading order, and reaches each one from the player', async () => {
    const { context, page } = await open();
    try {
      await expect.poll(() => page.locator('.article-body .para-play').count()).toBe(BODY.length);
      // Not a tab stop, not announced before each paragraph.
      for (const b of await page.locator('.para-play').all()) {
        expect(await b.getAttribute('tabindex')).toBe('-1');
        expect(await b.getAttribute('aria-hidden')).toBe('true');
      }
      const focused: string[] = [];
      await page.locator('[data-player-play]').focus();
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        focused.push(await page.evaluate(() => document.activeElement?.className ?? ''));
      }
      expect(focused.filter((c) => c.includes('para-play'))).toEqual([]);

      // One list in the player reaches every paragraph by keyboard.
      const from = page.locator('[data-player-from]');
      expect(await from.locator('option').count()).toBe(BODY.length + 1);
      const third = timings.p.find((p) => p.t === 2)!;
      await from.selectOption({ index: 3 });
      await expect.poll(() => page.locator('[data-player-play]').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.locator('.is-reading').textContent()).toBe(BODY[2]);
      expect(await currentTime(page)).toBeGreaterThanOrEqual(third.s[0][0] - 0.05);

      // N goes to the next paragraph; the lock screen's next/previous track do the same.
      await page.locator('[data-player-play]').focus();
      await page.keyboard.press('n');
      await expect.poll(() => page.locator('.is-reading').textContent()).toBe(BODY[3]);
      const actions = await page.evaluate(() => (window as any).__actions as string[]);
      expect(actions).toEqual(expect.arrayContaining(['play', 'pause', 'seekbackward', 'seekforward', 'previoustrack', 'nexttrack']));
      expect(await page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('Harbor plan approved');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('remembers the speed, and ends showing the same duration it started with', async () => {
    const { context, page } = await open();
    try {
      await page.locator('[data-player-speed]').selectOption('1.25');
      await page.reload({ waitUntil: 'load' });
      await expect.poll(() => page.locator('[data-player-speed]').inputValue()).toBe('1.25');
      expect(await page.locator('[data-player-audio]').evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(1.25);
      const total = (await page.locator('[data-player-time] span').nth(1).textContent())!;
      await page.locator('[data-player-play]').click();
      await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.locator('[data-player-audio]').evaluate((a: HTMLAudioElement) => {
        a.currentTime = a.duration - 0.3;
      });
      await expect.poll(() => page.locator('[data-player-play]').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('false');
      await expect.poll(() => page.locator('[data-player-elapsed]').textContent()).toBe(total);
    } finally {
      await context.close();
    }
  });

  it('keeps a listen-later queue on the device, across pages', async () => {
    const { context, page } = await open();
    try {
      const later = page.locator('[data-player-later]');
      expect(await later.getAttribute('aria-pressed')).toBe('false');
      await later.click();
      expect(await later.getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('[data-player-queue-count]').textContent()).toBe('1');
      await page.reload({ waitUntil: 'load' });
      await expect.poll(() => page.locator('[data-player-queue-count]').textContent()).toBe('1');
      await page.locator('.listen-queue summary').click();
      expect(await page.locator('[data-player-queue-list] a').textContent()).toBe('Harbor plan approved');
      expect(await page.locator('[data-player-queue-list] a').getAttribute('href')).toBe(url);
      await page.locator('.listen-queue-remove').click();
      expect(await page.locator('[data-player-queue-count]').textContent()).toBe('0');
      expect(await later.getAttribute('aria-pressed')).toBe('false');
      // A stored entry pointing off the site is never shown as a link.
      await page.evaluate(() =>
        localStorage.setItem(
          'gazette:queue',
          JSON.stringify([
            { u: 'https://evil.example/', t: 'x' },
            { u: '//evil.example/', t: 'y' },
          ]),
        ),
      );
      await page.reload({ waitUntil: 'load' });
      await expect.poll(() => page.locator('[data-player-queue-count]').textContent()).toBe('0');
    } finally {
      await context.close();
    }
  });

  it('says so when the audio cannot be loaded (a replaced file in an old tab)', async () => {
    const { context, page } = await open();
    try {
      await context.route('**/audio/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
      const status = page.locator('[data-player-status]');
      expect(await status.isVisible()).toBe(false);
      await page.locator('[data-player-play]').click();
      await expect.poll(() => status.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await status.textContent()).toMatch(/could not be loaded.*reload/i);
      expect(await status.getAttribute('role')).toBe('status');
    } finally {
      await context.close();
    }
  });

  it('plays with the native control when JavaScript is off', async () => {
    const { context, page } = await open(false);
    try {
      const audio = page.locator('audio.listen-native');
      expect(await audio.isVisible()).toBe(true);
      expect(await audio.getAttribute('preload')).toBe('none');
      const fetched = page.waitForResponse((r) => r.url().includes('/audio/') && [200, 206].includes(r.status()));
      const box = (await audio.boundingBox())!;
      // The native play button sits at the left end of the control.
      await page.mouse.click(box.x + 20, box.y + box.height / 2);
      await fetched;
      expect(await page.locator('.listen-download').getAttribute('href')).toMatch(/^\/audio\/\d+-[0-9a-f]{16}\.mp3$/);
    } finally {
      await context.close();
    }
  });
});
