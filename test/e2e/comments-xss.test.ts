import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postApi, relaxLimits } from '../comments/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { makeArticle } from '../helpers/factories.js';

/** Classic payloads: each, if it ran, would open a dialog or set window.__xss. */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="window.__xss=1">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<audio src=x onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<style>@import "javascript:alert(1)";</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '{{constructor.constructor("alert(1)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, meant literally
  '${alert(1)}',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  'http://example.org/"onmouseover="alert(1)',
  'https://example.org/<script>alert(1)</script>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
];

describe('comment text is shown literally and never runs (Chromium)', () => {
  let h: TestApp;
  let browser: Browser;
  let origin: string;
  let articleUrl: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    h = await createTestApp('sqlite');
    await relaxLimits(h.app);
    const article = await makeArticle(h.t.db);
    articleUrl = article.url;
    for (const [i, p] of PAYLOADS.entries()) {
      const res = await postApi(h.app, article.id, { name: [...p].slice(0, 80).join(''), email: `x${i}@example.org`, body: p });
      expect(res.statusCode, p).toBe(202);
    }
    await h.t.db.updateTable('comments').set({ status: 'approved' }).execute();
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function open(url: string, cookie?: string): Promise<Page> {
    const context = await browser.newContext();
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    if (cookie) {
      await context.addCookies(
        cookie.split('; ').map((c) => {
          const i = c.indexOf('=');
          return { name: c.slice(0, i), value: c.slice(i + 1), url: origin };
        }),
      );
    }
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    return page;
  }

  it(`renders ${PAYLOADS.length} payloads on the article page as text`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(30);
    const page = await open(articleUrl);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const bodies = await page.$$eval('.comment-body', (els) => els.map((e) => e.textContent));
    const names = await page.$$eval('.comment-author', (els) => els.map((e) => e.textContent));
    for (const p of PAYLOADS) {
      expect(bodies, p).toContain(p);
      expect(names, p).toContain([...p].slice(0, 80).join(''));
    }
    const hrefs = await page.$$eval('.comment-body a', (els) => els.map((e) => [e.getAttribute('href'), e.getAttribute('rel')]));
    for (const [href, rel] of hrefs) {
      expect(href).toMatch(/^https?:\/\//);
      expect(rel).toBe('nofollow ugc noopener');
    }
    expect(await page.$$('.comment-body script, .comment-body img, .comment-body iframe, .comment-body svg')).toHaveLength(0);
    await page.context().close();
  });

  it('renders them on the moderation desk as text too', async () => {
    const mod = await loginAs(h.app, h.t.db, 'moderator');
    const page = await open('/admin/comments?queue=approved', mod.cookie);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const bodies = await page.$$eval('.mod-item .comment-body', (els) => els.map((e) => e.textContent));
    for (const p of PAYLOADS) expect(bodies, p).toContain(p);
    await page.context().close();
  });
});
