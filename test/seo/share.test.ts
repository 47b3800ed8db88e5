import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { ShareBar, shareLinks } from '../../src/articles/share.js';
import { tags } from '../helpers/html.js';

const URL_ = 'https://news.example.org/politics/council-approves-budget';
const HEADLINE = 'Council & "Mayor" agree: 7–2';

describe('share bar', () => {
  it('links carry the canonical URL and headline, without tracking parameters', () => {
    const links = shareLinks(URL_, HEADLINE);
    expect(links.map((l) => l.id)).toEqual(['x', 'facebook', 'linkedin', 'whatsapp', 'bluesky', 'email']);
    for (const l of links) {
      const decoded = decodeURIComponent(l.href);
      expect(decoded, l.id).toContain(URL_);
      expect(l.href, l.id).not.toMatch(/utm_|fbclid|ref=/i);
      if (l.id !== 'facebook' && l.id !== 'linkedin') expect(decoded, l.id).toContain(HEADLINE);
    }
  });

  it('renders plain links, inline SVG icons, hidden JS-only buttons and a live region', () => {
    const html = render(h(ShareBar, { url: URL_, headline: HEADLINE }));
    const anchors = tags(html, 'a');
    expect(anchors).toHaveLength(6);
    for (const a of anchors) expect(a.rel).toContain('noopener');
    expect(html).not.toMatch(/<img|<script|<iframe/);
    expect(html.match(/<svg/g)).toHaveLength(8);
    const buttons = tags(html, 'button');
    expect(buttons.map((b) => 'hidden' in b)).toEqual([true, true]);
    const status = tags(html, 'p').find((p) => 'data-share-status' in p);
    expect(status).toMatchObject({ role: 'status', 'aria-live': 'polite' });
  });
});
