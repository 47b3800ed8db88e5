import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { element, isThirdParty, tags, text, urls } from '../helpers/html.js';
import { publishReference, REFERENCE } from '../helpers/reference.js';

const SHARE_HOSTS = ['https://x.com/', 'https://www.facebook.com/', 'https://www.linkedin.com/', 'https://wa.me/', 'https://bsky.app/'];

describe.each(DIALECTS)('the reference article page on %s', (dialect) => {
  let h: TestApp;
  let html: string;
  let headers: Record<string, unknown>;
  let sharedTagSlug: string;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
    // Five other Politics articles (one sharing the reference's tags) and one in World.
    for (let i = 1; i <= 4; i++) await makeArticle(h.t.db, { headline: `Unrelated politics story ${i}`, published: day(10 + i) });
    const shared = await makeArticle(h.t.db, {
      headline: 'Older story on the same topic',
      tags: ['Ukraine', 'Diplomacy'],
      published: day(2),
    });
    sharedTagSlug = shared.slug;
    await makeArticle(h.t.db, { headline: 'A world story', section: 'World', tags: ['Ukraine'], published: day(20) });
    const result = await publishReference(h.t.db, h.app.gazette.mediaRoot);
    expect(result.url).toBe(REFERENCE.url);
    const res = await h.app.inject({ url: REFERENCE.url, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    html = res.body;
    headers = res.headers;
  });
  afterAll(() => h.close());

  it('shows the section as a link to the section page', () => {
    const header = element(html, 'header', 'class="article-header"');
    expect(tags(header, 'a')[0]).toMatchObject({ class: 'kicker', href: '/politics' });
    expect(header).toMatch(/<a class="kicker" href="\/politics">Politics<\/a>/);
  });

  it('has the headline as <h1> and in the title', () => {
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toContain(`<h1>${REFERENCE.headline}</h1>`);
    expect(html).toContain(`<title>${REFERENCE.headline} — The Gazette</title>`);
  });

  it('shows the standfirst under the headline and as meta description', () => {
    const standfirst = text(element(html, 'p', 'class="standfirst"'));
    expect(standfirst.startsWith(REFERENCE.standfirstStart)).toBe(true);
    expect(tags(html, 'meta').find((m) => m.name === 'description')?.content).toBe(standfirst);
  });

  it('has a byline linking to the author page and "3 min read"', () => {
    const byline = element(html, 'p', 'class="byline"');
    expect(tags(byline, 'a')).toEqual([{ href: '/author/james-thompson', rel: 'author' }]);
    expect(text(byline)).toBe('By James Thompson 3 min read');
  });

  it('shows the publication time in a <time datetime>', () => {
    const dates = element(html, 'p', 'class="dates"');
    expect(tags(dates, 'time')).toEqual([{ datetime: '2026-11-24T14:30:00.000Z' }]);
    expect(text(dates)).toBe('Published November 24, 2026 at 2:30 PM');
    expect(dates).not.toContain('Updated');
  });

  it('has plain share links for X, Facebook, LinkedIn, WhatsApp, Bluesky and email, and a copy-link button', () => {
    const share = element(html, 'div', 'class="share"');
    expect(text(share)).toContain('Share this article:');
    const links = tags(share, 'a');
    const canonical = encodeURIComponent(`http://localhost:80${REFERENCE.url}`);
    const expected = [
      ['share-x', 'https://x.com/intent/post?'],
      ['share-facebook', 'https://www.facebook.com/sharer/sharer.php?u='],
      ['share-linkedin', 'https://www.linkedin.com/sharing/share-offsite/?url='],
      ['share-whatsapp', 'https://wa.me/?text='],
      ['share-bluesky', 'https://bsky.app/intent/compose?text='],
      ['share-email', 'mailto:?subject='],
    ];
    expect(links.map((l) => l.class)).toEqual(expected.map((e) => e[0]));
    for (const [cls, prefix] of expected) {
      const link = links.find((l) => l.class === cls)!;
      expect(link.href.startsWith(prefix), cls).toBe(true);
      expect(link.href, cls).toContain(canonical);
      expect(link.rel).toBe('noopener noreferrer');
    }
    expect(share).toContain('data-copy-link');
    expect(share).toContain('Copy link');
    expect(share).toContain('data-web-share');
    expect(share).not.toMatch(/<script|<iframe/);
  });

  it('shows the hero as a responsive <picture> with AVIF, WebP and JPEG, size, alt, caption and credit', () => {
    const figure = element(html, 'figure', 'class="hero"');
    const sources = tags(figure, 'source');
    expect(sources.map((s) => s.type)).toEqual(['image/avif', 'image/webp']);
    const img = tags(figure, 'img')[0];
    for (const srcset of [sources[0].srcset, sources[1].srcset, img.srcset]) {
      expect(srcset.split(', ').map((s) => s.split(' ')[1])).toEqual(['480w', '800w', '1200w', '1600w']);
    }
    expect(sources[0].srcset).toMatch(/\/media\/\S+\.avif 480w/);
    expect(sources[1].srcset).toMatch(/\/media\/\S+\.webp 480w/);
    expect(img.srcset).toMatch(/\/media\/\S+\.jpg 480w/);
    expect(img).toMatchObject({ width: '1600', height: '900', alt: REFERENCE.headline, loading: 'eager' });
    expect(img.src).toMatch(/^\/media\/.+\/800\.jpg$/);
    expect(img.sizes).toBeTruthy();
    expect(text(element(figure, 'figcaption', ''))).toBe('The Miami meeting produced a draft 28 point plan. Illustration by The Gazette');
  });

  it('serves the hero variants without the EXIF metadata of the original', async () => {
    const img = tags(element(html, 'figure', 'class="hero"'), 'img')[0];
    const files = img.srcset.split(', ').map((s) => s.split(' ')[0]);
    for (const url of [...files, img.src]) {
      const res = await h.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      const meta = await sharp(res.rawPayload).metadata();
      expect(meta.exif, url).toBeUndefined();
      expect(meta.format).toBe('jpeg');
    }
    const dir = join(h.app.gazette.mediaRoot, img.src.split('/')[2], img.src.split('/')[3]);
    const written = readdirSync(dir).sort();
    expect(written).toHaveLength(12);
    for (const name of written) expect((await sharp(join(dir, name)).metadata()).exif, name).toBeUndefined();
  });

  it('renders the Markdown body as paragraphs', () => {
    const body = element(html, 'div', 'class="article-body"');
    expect(body.match(/<p>/g)).toHaveLength(7);
    expect(text(body).startsWith(REFERENCE.bodyStart)).toBe(true);
    expect(text(body).endsWith(REFERENCE.bodyEnd)).toBe(true);
  });

  it('has the discussion section and a plain comment form', () => {
    const discussion = element(html, 'section', 'class="discussion"');
    expect(discussion).toContain('Discussion (0 Comments)');
    expect(discussion).toContain('Leave a Comment');
    expect(tags(discussion, 'form')[0]).toMatchObject({ method: 'post', action: `${REFERENCE.url}/comments` });
    expect(tags(discussion, 'input').map((i) => i.name)).toEqual(expect.arrayContaining(['name', 'email']));
    expect(tags(discussion, 'input').find((i) => i.name === 'email')?.type).toBe('email');
    expect(tags(discussion, 'textarea')[0]).toMatchObject({ name: 'body' });
    expect(text(discussion)).toContain('0/5000 characters');
    expect(text(discussion)).toContain('Comments are moderated and will appear after approval.');
    expect(text(discussion)).toMatch(/never shown/);
  });

  it('ends with "More in Politics": four other Politics articles, the most related first', () => {
    const related = element(html, 'aside', 'class="related"');
    expect(text(related).startsWith('More in Politics')).toBe(true);
    const links = tags(related, 'h3').length;
    expect(links).toBe(4);
    const hrefs = [...related.matchAll(/<h3 class="card-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs[0]).toBe(`/politics/${sharedTagSlug}`);
    expect(hrefs.every((u) => u.startsWith('/politics/'))).toBe(true);
    expect(hrefs).not.toContain(REFERENCE.url);
  });

  it('shows the elements in the order of the reference page', () => {
    const markers = [
      'class="kicker" href="/politics"',
      `<h1>${REFERENCE.headline}`,
      'class="standfirst"',
      'rel="author">James Thompson',
      '3 min read',
      'Published <time',
      'Share this article:',
      '<figure class="hero"',
      REFERENCE.bodyStart,
      'Discussion (0 Comments)',
      'Leave a Comment',
      '0/5000 characters',
      'Comments are moderated',
      'More in Politics',
    ];
    const positions = markers.map((m) => html.indexOf(m));
    for (const [i, p] of positions.entries()) expect(p, markers[i]).toBeGreaterThan(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('sends security headers: a CSP without inline script or style', () => {
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options']).toBe('DENY');
    // Inline code would be blocked by that policy, so the page has none (JSON-LD is data, never run).
    expect(tags(html, 'script').every((s) => s.src || s.type === 'application/ld+json')).toBe(true);
    expect(html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
  });

  it('points at no third party except the share links', () => {
    const own = ['http://localhost:80'];
    const external = urls(html).filter((u) => isThirdParty(u, own));
    expect(external.length).toBe(5);
    for (const u of external)
      expect(
        SHARE_HOSTS.some((s) => u.startsWith(s)),
        u,
      ).toBe(true);
  });

  it('follows the words-per-minute setting', async () => {
    await saveSettings(h.t.db, { wordsPerMinute: 100 });
    h.app.gazette.invalidateSettings();
    const res = await h.app.inject(REFERENCE.url);
    expect(text(element(res.body, 'p', 'class="byline"'))).toContain('5 min read');
    await saveSettings(h.t.db, { wordsPerMinute: 200 });
    h.app.gazette.invalidateSettings();
  });

  it('shows "Updated" after the article changes, keeping the publication time', async () => {
    await publishReference(h.t.db, h.app.gazette.mediaRoot);
    const res = await h.app.inject(REFERENCE.url);
    const dates = element(res.body, 'p', 'class="dates"');
    const times = tags(dates, 'time');
    expect(times[0].datetime).toBe('2026-11-24T14:30:00.000Z');
    expect(text(dates)).toMatch(/Updated/);
    expect(times[1].datetime > times[0].datetime).toBe(true);
  });
});
