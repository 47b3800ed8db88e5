import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupPath } from '../../src/ops/start.banner.js';
import { newSetupToken, prepareSetup } from '../../src/users/setup.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';

describe('the first admin of an empty install sets it up in a browser (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let token: string;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    token = newSetupToken();
    await prepareSetup(h.t.db, token);
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opens the printed link, corrects a mistyped password and lands in the newsroom logged in', async () => {
    const ctx = await browser.newContext();
    await ctx.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const page = await ctx.newPage();
    await page.goto(`${origin}${setupPath(token)}`);
    expect(await page.textContent('h1')).toBe('Set up your newsroom');
    await page.fill('#f-siteName', 'Harbor Ledger');
    await page.fill('#f-name', 'Ada Admin');
    await page.fill('#f-email', 'ada@example.org');
    await page.fill('#f-password', 'a long enough secret');
    await page.fill('#f-confirm', 'a long enough secre');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await page.waitForSelector('#confirm-error');
    expect(await page.textContent('#confirm-error')).toContain('not the same');
    // What was typed is still there, except the passwords.
    expect(await page.inputValue('#f-siteName')).toBe('Harbor Ledger');
    expect(await page.inputValue('#f-email')).toBe('ada@example.org');
    expect(await page.inputValue('#f-password')).toBe('');
    await page.fill('#f-password', 'a long enough secret');
    await page.fill('#f-confirm', 'a long enough secret');
    await Promise.all([page.waitForURL(`${origin}/admin`), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Welcome, Ada Admin');
    expect(await page.textContent('.brand')).toContain('Harbor Ledger');
    // The link is spent: opening it again leads to the login page.
    await page.goto(`${origin}${setupPath(token)}`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await ctx.close();
  }, 60_000);
});
