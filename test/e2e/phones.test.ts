import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moderate } from '../../src/moderation/moderation.service.js';
import { createNarrator } from '../../src/narration/narration.setup.js';
import { uploadImage } from '../../src/newsroom/library.service.js';
import { addRedirect } from '../../src/redirects/redirect.service.js';
import type { Actor } from '../../src/users/user.table.js';
import { postApi, relaxLimits } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, makeUser } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';

/** The narrowest phones in use, a common Android width and a current iPhone. */
const WIDTHS = [320, 360, 390];

const BODY = [
  'The harbour council met on Tuesday and voted seven to two for the redevelopment plan.',
  'Work starts in March; see https://example.org/reports/2024/harbour-redevelopment-final-assessment-appendix.pdf for the figures.',
  'A final vote comes in May.',
];

/**
 * What overflows the page sideways: its width, the elements that stick out to the right, and
 * the visible player controls (enhanced or native) that are not wholly on screen.
 */
function overflow(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const culprits: string[] = [];
    if (root.scrollWidth > limit) {
      const scrolls = (el: Element) => getComputedStyle(el).overflowX !== 'visible';
      for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
        // Content inside a box that scrolls (or clips) on its own does not widen the page.
        if ([...ancestors(el)].some(scrolls)) continue;
        const box = el.getBoundingClientRect();
        const right = box.left + Math.max(box.width, scrolls(el) ? 0 : el.scrollWidth);
        if (box.width === 0 || right <= limit + 0.5) continue;
        culprits.push(
          `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}→${Math.round(right)}`,
        );
      }
    }
    function* ancestors(el: Element) {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) yield p;
    }
    const enhanced = document.querySelector('[data-player].is-enhanced');
    const controls = enhanced
      ? '.player button, .player input, .player select, .listen-more button, .listen-more select, .listen-more summary, .para-play'
      : '.listen-native, .listen-download, .listen-title';
    const offscreen: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(controls)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || el.closest('[hidden]')) continue;
      if (box.left < 0 || box.right > limit + 0.5) {
        offscreen.push(`${el.getAttribute('aria-label') ?? el.className} spans ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    const players = document.querySelectorAll('[data-player]').length;
    return { scrollWidth: root.scrollWidth, clientWidth: limit, culprits: culprits.slice(-4), players, offscreen };
  });
}

describe('every page fits a phone screen, with and without JavaScript (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let staffCookie: string;
  let articlePath: string;
  const reader: string[] = [];
  const newsroom: string[] = [];

  async function context(javaScriptEnabled: boolean, problems: string[], cookie?: string): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: WIDTHS[0], height: 800 }, javaScriptEnabled });
    await ctx.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    if (cookie) {
      await ctx.addCookies(
        cookie.split('; ').map((c) => {
          const i = c.indexOf('=');
          return { name: c.slice(0, i), value: c.slice(i + 1), url: origin };
        }),
      );
    }
    ctx.on('page', (p) => p.on('pageerror', (e) => problems.push(`script error on ${p.url()}: ${e.message}`)));
    return ctx;
  }

  /** Opens each page once at the narrowest width, then widens the same page to the others. */
  async function check(paths: string[], javaScript: boolean, cookie?: string): Promise<string[]> {
    const failures: string[] = [];
    const ctx = await context(javaScript, failures, cookie);
    const page = await ctx.newPage();
    try {
      for (const path of paths) {
        await page.setViewportSize({ width: WIDTHS[0], height: 800 });
        const res = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
        const expected = path.startsWith('/no-such') ? 404 : 200;
        if (res?.status() !== expected) failures.push(`${path}: status ${res?.status()}`);
        if (path === articlePath && javaScript) await page.waitForSelector('[data-player].is-enhanced [data-player-ui]:not([hidden])');
        // Sections laid out only near the screen (content-visibility) are measured too.
        await page.evaluate(() => {
          for (const el of document.querySelectorAll<HTMLElement>('*')) {
            if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
          }
        });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          const o = await overflow(page);
          if (o.scrollWidth > o.clientWidth) {
            failures.push(`${path} at ${width}px: ${o.scrollWidth} > ${o.clientWidth} (${o.culprits.join(', ')})`);
          }
          if (path === articlePath && o.players !== 1) failures.push(`${path}: no player`);
          for (const control of o.offscreen) failures.push(`${path} at ${width}px: player control ${control}`);
        }
      }
    } finally {
      await ctx.close();
    }
    return failures;
  }

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await relaxLimits(h.app);
    const a = await makeArticle(h.t.db, {
      headline: 'Councillors approve the long-delayed harbour redevelopment after a seven-hour meeting',
      body: BODY.join('\n\n'),
      tags: ['Harbour redevelopment', 'Infrastructure'],
      authors: ['Maximiliana Featherstonehaugh-Wolfeschlegel'],
    });
    await makeArticle(h.t.db, {
      slug: a.slug,
      headline: 'Councillors approve the harbour redevelopment',
      body: BODY.join('\n\n'),
      tags: ['Harbour redevelopment', 'Infrastructure'],
      authors: ['Maximiliana Featherstonehaugh-Wolfeschlegel'],
    });
    await makeArticle(h.t.db, { section: 'Business', headline: 'Ferry operator reports record passenger numbers' });
    const narrator = createNarrator({ db: h.t.db, dataDir: h.t.dataDir });
    try {
      await narrator.narrate(a.id);
    } finally {
      narrator.close();
    }

    const staff = await loginAs(h.app, h.t.db, 'admin');
    staffCookie = staff.cookie;
    const actor: Actor = { kind: 'session', userId: staff.userId, name: 'Admin', role: 'admin', personId: null };
    for (const role of ['editor', 'writer', 'moderator'] as const) await makeUser(h.t.db, role, 'Bartholomew Quigley-Fitzwilliam');
    await makeToken(h.t.db, 'editor');
    const image = await makeImage({ width: 1200, height: 700 });
    await uploadImage(h.t.db, {
      actor,
      file: { buffer: image, truncated: false, filename: 'harbour-at-dusk-from-the-north-pier.jpg' },
      meta: { alt: 'The harbour at dusk', caption: '', credit: 'Photo: Staff photographer' },
      mediaRoot: h.app.gazette.mediaRoot,
    });
    await h.t.db
      .transaction()
      .execute((trx) =>
        addRedirect(trx, { from: '/2019/05/harbour-council-approves-redevelopment-plan-old-cms/', to: `/politics/${a.slug}` }),
      );
    const ids: number[] = [];
    for (const [i, body] of BODY.entries()) {
      const res = await postApi(h.app, a.id, { name: `Reader ${i}`, email: `reader${i}@example.org`, body });
      expect(res.statusCode).toBe(202);
      ids.push(res.json().id);
    }
    const secret = h.app.gazette.config.secret;
    await moderate(h.t.db, { ids: [ids[0]], action: 'approve', actor, secret });
    await moderate(h.t.db, { ids: [ids[1]], action: 'ban', reason: 'Posting the same link again and again', actor, secret });

    articlePath = `/politics/${a.slug}`;
    const person = await h.t.db.selectFrom('people').select('slug').orderBy('id').executeTakeFirstOrThrow();
    const tag = await h.t.db.selectFrom('tags').select('slug').orderBy('id').executeTakeFirstOrThrow();
    reader.push(
      '/',
      '/politics',
      articlePath,
      `/author/${person.slug}`,
      `/tag/${tag.slug}`,
      '/search?q=harbour',
      '/search?q=zeppelinwharfquartermaster',
      '/no-such-page',
    );
    newsroom.push(
      '/admin',
      '/admin/articles',
      '/admin/articles/new',
      `/admin/articles/${a.id}/edit`,
      `/admin/articles/${a.id}/revisions`,
      '/admin/settings',
      '/admin/media',
      '/admin/people',
      '/admin/users',
      '/admin/tags',
      '/admin/sections',
      '/admin/comments',
      '/admin/comments/log',
      '/admin/comments/bans',
      '/admin/redirects',
      '/admin/tokens',
      '/admin/account',
    );
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  // Four independent browser contexts on one browser and one server: run side by side.
  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'with' : 'without';
    it.concurrent(`reader pages ${mode} JavaScript: no sideways scrolling, the player inside the screen`, async () => {
      expect(await check(reader, javaScript)).toEqual([]);
    });
    it.concurrent(`newsroom pages ${mode} JavaScript: no sideways scrolling`, async () => {
      expect(await check(newsroom, javaScript, staffCookie)).toEqual([]);
    });
  }
});
