import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/media/image.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { insertComment } from './hostile.helpers.js';
import { inspectPage, installTraps, type Trapped } from './xss.browser.js';

/** Classic vectors, one a line: script tags, event handlers, URL schemes, parser confusions, encodings. */
const PAYLOADS = readFileSync(new URL('./xss-payloads.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim());

const CHUNK = 8;
describe.each(DIALECTS)('stored and reflected XSS in Chromium on %s', (dialect) => {
  let h: TestApp;
  let browser: Browser;
  let base: string;
  const urls: string[] = [];

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const hero = await processImage(await makeImage({ width: 640, height: 360 }), h.app.gazette.mediaRoot);
    const refused: string[] = [];
    // Each payload is a headline and a standfirst (seen in listings and search results)…
    for (const [i, payload] of PAYLOADS.entries()) {
      try {
        await makeArticle(h.t.db, { headline: `${payload} ${i}`, standfirst: payload, section: i % 2 ? 'Politics' : 'Culture' });
      } catch (error) {
        refused.push(`${i}: ${(error as Error).message}`);
      }
    }
    // A payload may be refused as invalid input (fine), but nearly all must reach the pages.
    expect(PAYLOADS.length - refused.length, refused.join('\n')).toBeGreaterThanOrEqual(100);
    // …and, eight at a time, every other field of an article page: body, image text, tags, bylines, comments.
    for (let i = 0; i < PAYLOADS.length; i += CHUNK) {
      const chunk = PAYLOADS.slice(i, i + CHUNK);
      const a = await makeArticle(
        h.t.db,
        {
          headline: chunk[0],
          standfirst: chunk.join(' '),
          body: chunk.flatMap((p) => [p, `> ${p}`, `- ${p}`, `Text with ${p} inside.`]).join('\n\n'),
          heroAlt: chunk.join(' '),
          heroCaption: chunk.join(' '),
          heroCredit: chunk.join(' '),
          tags: chunk.map((p, j) => `Topic ${i + j} ${p}`),
          authors: chunk.slice(0, 3).map((p, j) => `Writer ${i + j} ${p}`),
          section: 'Politics',
        },
        { hero },
      );
      for (const p of chunk)
        await insertComment(h.t.db, { articleId: a.id, name: p, body: `${p}\nhttps://example.org/${encodeURIComponent(p)}` });
      urls.push(a.url);
    }
    const tags = await h.t.db.selectFrom('tags').select('slug').limit(10).execute();
    const people = await h.t.db.selectFrom('people').select('slug').limit(10).execute();
    for (let page = 1; page <= Math.ceil(PAYLOADS.length / 2 / 20) + 1; page++)
      urls.push(`/politics?page=${page}`, `/culture?page=${page}`);
    urls.push('/', ...tags.map((t) => `/tag/${t.slug}`), ...people.map((p) => `/author/${p.slug}`));
    urls.push(...PAYLOADS.map((p) => `/search?q=${encodeURIComponent(p)}`));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it(`runs no script, opens no dialog and calls no other host on ${PAYLOADS.length} payloads in every field`, {
    timeout: 300_000,
  }, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
    const context = await browser.newContext();
    const trapped: Trapped = { offHost: [], dialogs: [] };
    await installTraps(context, trapped);
    const findings: string[] = [];
    const queue = [...urls];
    const worker = async () => {
      const page = await context.newPage();
      page.on('dialog', (d) => {
        trapped.dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
        void d.dismiss();
      });
      for (let url = queue.shift(); url; url = queue.shift()) {
        const res = await page.goto(base + url, { waitUntil: 'load' });
        if (!res || res.status() >= 500 || (res.status() !== 200 && !url.includes('?page=')))
          findings.push(`${url}: HTTP ${res?.status()}`);
        await page.waitForTimeout(30);
        for (const f of await inspectPage(page)) findings.push(`${url}: ${f}`);
      }
      await page.close();
    };
    await Promise.all([worker(), worker()]);
    await context.close();
    expect(findings).toEqual([]);
    expect(trapped.dialogs).toEqual([]);
    expect(trapped.offHost).toEqual([]);
  });

  it('the traps do catch a payload that runs', async () => {
    const context = await browser.newContext();
    const trapped: Trapped = { offHost: [], dialogs: [] };
    await installTraps(context, trapped);
    const page = await context.newPage();
    // A page without the site's policy, so the handler really runs and must be caught by the traps.
    await page.route(`${base}/__trap`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<img src="/x.png" onerror="alert(1)"><script src="https://evil.example/x.js"></script>',
      }),
    );
    await page.goto(`${base}/__trap`);
    // The handler runs when the image request fails, which can take a while on a loaded machine.
    let found: string[] = [];
    for (let i = 0; i < 50 && !found.includes('alert(1)'); i++) {
      await page.waitForTimeout(100);
      found = await inspectPage(page);
    }
    await context.close();
    expect(found).toContain('alert(1)');
    expect(found.some((f) => f.startsWith('<img onerror'))).toBe(true);
    expect(trapped.offHost).toContain('https://evil.example/x.js');
  });
});
