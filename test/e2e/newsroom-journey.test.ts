import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/articles/scheduler.js';
import { toZoneInput } from '../../src/newsroom/article.form.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeUser, PASSWORD } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';

const ZONE = 'America/New_York';

describe('the newsroom journey: write, review, schedule, publish, correct (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let scheduler: ReturnType<typeof startScheduler>;
  let dir: string;
  const problems: string[] = [];
  const users: Record<'writer' | 'editor', string> = { writer: '', editor: '' };

  const context = async (): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ viewport: { width: 1024, height: 1366 } });
    await ctx.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    ctx.on('page', (p) => p.on('pageerror', (e) => problems.push(e.message)));
    return ctx;
  };
  const login = async (page: Page, email: string) => {
    await page.goto(`${origin}/admin/login`);
    await page.fill('#login-email', email);
    await page.fill('#login-password', PASSWORD);
    await Promise.all([page.waitForURL(`${origin}/admin`), page.click('form.stack-form button[type=submit]')]);
  };

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await makeArticle(h.t.db, { section: 'Politics', headline: 'An older story' });
    await saveSettings(h.t.db, { timeZone: ZONE });
    users.writer = (await makeUser(h.t.db, 'writer', 'Wren Writer')).email;
    users.editor = (await makeUser(h.t.db, 'editor', 'Eda Editor')).email;
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    scheduler = startScheduler(h.t.db, { intervalMs: 250 });
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'gazette-e2e-'));
    writeFileSync(join(dir, 'hero.jpg'), await makeImage({ width: 1200, height: 700 }));
  });
  afterAll(async () => {
    scheduler?.stop();
    await browser?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs from a writer’s draft to a corrected, published article', async () => {
    // The writer writes a draft with a hero image, previews it and submits it.
    const writerCtx = await context();
    const w = await writerCtx.newPage();
    await login(w, users.writer);
    await w.click('a[href="/admin/articles"]');
    await w.click('text=New article');
    await w.fill('#f-headline', 'Night ferry returns to the harbor');
    expect(await w.getAttribute('#f-slug', 'placeholder')).toBe('night-ferry-returns-to-the-harbor');
    await w.fill('#f-standfirst', 'The service stopped in 2020.');
    await w.fill('#f-body', 'The **night ferry** sails again from Friday.\n\nTickets cost $3.');
    await w.waitForSelector('[data-preview] strong:text("night ferry")');
    expect(await w.textContent('[data-wordcount]')).toBe('10 words · 1 min read');
    await w.setInputFiles('[data-hero-file]', join(dir, 'hero.jpg'));
    await w.waitForSelector('[data-hero-img]:not([hidden])');
    await w.fill('#f-hero_alt', 'The ferry at its pier at dusk');
    await w.fill('#f-hero_credit', 'Photo: Wren Writer');
    // Autosave turns the new draft into a stored one without a click.
    await w.waitForURL(/\/admin\/articles\/\d+\/edit$/, { timeout: 10_000 });
    const id = Number(/articles\/(\d+)\/edit/.exec(w.url())?.[1]);
    // Everything typed reaches the server by itself, the hero included.
    await expect
      .poll(
        async () =>
          (await h.t.db.selectFrom('articles').select(['hero_media_id', 'hero_credit']).where('id', '=', id).executeTakeFirst())
            ?.hero_credit,
        {
          timeout: 10_000,
        },
      )
      .toBe('Photo: Wren Writer');
    await w.waitForSelector('[data-save-status]:text-matches("^Draft saved at [^(]+$")');
    await w.click('text=Preview page');
    expect(await w.textContent('h1')).toBe('Night ferry returns to the harbor');
    expect(await w.getAttribute('.hero img', 'alt')).toBe('The ferry at its pier at dusk');
    await w.goBack();
    await Promise.all([w.waitForURL(/done=submit/), w.click('button[value="submit"]')]);
    expect(await w.textContent('.notice')).toContain('Submitted for review');
    expect(await w.isVisible('button[value="publish"]')).toBe(false);

    // The editor finds it in review, edits it and schedules it 3 seconds ahead (site time zone).
    const editorCtx = await context();
    const e = await editorCtx.newPage();
    await login(e, users.editor);
    await e.goto(`${origin}/admin/articles?status=in_review`);
    await e.click('text=Night ferry returns to the harbor');
    await e.fill('#f-body', 'The **night ferry** sails again from Friday evening.\n\nTickets cost $3.');
    const at = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    await e.fill('#f-published', toZoneInput(at.toISOString(), ZONE));
    await Promise.all([e.waitForURL(/done=schedule/), e.click('button[value="schedule"]')]);
    expect(await e.textContent('.status-box h2')).toContain('scheduled');
    const row = await h.t.db
      .selectFrom('articles')
      .select(['status', 'published_at', 'slug'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'scheduled', published_at: at.toISOString() });

    // The public page shows it once its time has come, without a restart.
    const reader = await (await context()).newPage();
    const res = await reader.goto(`${origin}/politics/${row.slug}`);
    expect(res?.status()).toBe(404);
    await expect
      .poll(async () => (await reader.goto(`${origin}/politics/${row.slug}`))?.status(), { timeout: 10_000, interval: 300 })
      .toBe(200);
    expect(await reader.textContent('.article-body')).toContain('sails again from Friday evening');

    // The editor appends a correction; readers see it at the end of the article.
    await e.goto(`${origin}/admin/articles/${id}/edit`);
    await e.fill('#f-correction', 'An earlier version gave the wrong ticket price. Tickets cost $4.');
    await Promise.all([e.waitForURL(/done=corrected/), e.click('text=Add correction')]);
    await reader.reload();
    expect(await reader.textContent('.corrections')).toMatch(/Correction, .+2\d{3}: An earlier version gave the wrong ticket price/);
    expect(await reader.isVisible('text=Updated')).toBe(true);

    // The revision diff shows the editor's change.
    await e.goto(`${origin}/admin/articles/${id}/revisions`);
    await e.check('input[name="from"][value="1"]');
    await e.check('input[name="to"][value="2"]');
    await e.click('text=Compare selected');
    expect(await e.textContent('.diff-field:has(h2:text-is("Body")) ins')).toContain('evening');
    expect(await e.textContent('.diff-field:has(h2:text-is("Status"))')).toContain('in review');

    // Unsaved changes are not lost silently.
    await e.goto(`${origin}/admin/articles/${id}/edit`);
    await e.fill('#f-standfirst', 'Typed but not saved.');
    const dialog = new Promise<string>((resolve) =>
      e.once('dialog', (d) => {
        resolve(d.type());
        void d.accept();
      }),
    );
    await e.close({ runBeforeUnload: true });
    expect(await dialog).toBe('beforeunload');
    expect(problems).toEqual([]);
  });
});
