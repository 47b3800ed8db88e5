import { renderMarkdown } from '../text/markdown.js';
import { looksLikeImage } from './import.media.js';

/**
 * Imported HTML as an article body. `body_md` is Markdown that may hold HTML: the whole body is
 * kept as one HTML block (no blank lines, newlines of preformatted text written as `&#10;`), so
 * Markdown never re-reads the text, and it is sanitised now with the site's own policy (scripts,
 * frames, event attributes and third-party images go) — and again whenever it is rendered.
 */
export function bodyFromHtml(html: string): string {
  const clean = renderMarkdown(asOneBlock(html));
  return asOneBlock(clean);
}

function asOneBlock(html: string): string {
  const kept = html
    .replace(/\r\n?/g, '\n')
    .replace(
      /(<pre\b[^>]*>)([\s\S]*?)(<\/pre\s*>)/gi,
      (_m, open: string, inner: string, close: string) => open + inner.replace(/\n/g, '&#10;') + close,
    )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n')
    .trim();
  return kept ? `<div>\n${kept}\n</div>` : '';
}

const TAG = /<(?:img|a|source)\b[^>]*>/gi;
const ATTR = /\s(src|href|srcset)\s*=\s*("([^"]*)"|'([^']*)')/gi;

/** Each media-bearing attribute of each tag: its name and decoded value, and a way to replace it. */
function eachAttr(html: string, fn: (attr: string, value: string) => string | undefined): string {
  return html.replace(TAG, (tag) =>
    tag.replace(ATTR, (whole, attr: string, _q: string, dq?: string, sq?: string) => {
      const replaced = fn(attr.toLowerCase(), decodeAttr(dq ?? sq ?? ''));
      return replaced === undefined ? whole : replaced;
    }),
  );
}

/**
 * Points the images of a body at their new addresses. `resolve` gives the new URL of an old one
 * (undefined: not found). An image not found becomes a link to where it was, so nothing is lost
 * and the page requests nothing from the old host; `srcset` lists are dropped (the variants are
 * Gazette's own).
 */
export function rewriteMedia(html: string, resolve: (url: string) => string | undefined): string {
  let out = eachAttr(html, (attr, value) => {
    if (attr === 'srcset') return '';
    if (!looksLikeImage(value)) return undefined;
    const found = resolve(value);
    return found ? ` ${attr}="${escapeAttr(found)}"` : undefined;
  });
  // Images left pointing elsewhere: a link with their alt text instead.
  out = out.replace(/<img\b[^>]*>/gi, (tag) => {
    const src = /\ssrc\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
    const url = src ? decodeAttr(src[2] ?? src[3] ?? '') : '';
    if (url.startsWith('/media/')) return tag;
    const alt = /\salt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
    const text = alt ? (alt[2] ?? alt[3] ?? '') : '';
    return url && /^https?:\/\//i.test(url) ? `<a href="${escapeAttr(url)}">${text || 'Image'}</a>` : text;
  });
  return out;
}

/** The image URLs a body names (img src and links to image files). */
export function mediaUrlsIn(html: string): string[] {
  const urls: string[] = [];
  eachAttr(html, (attr, value) => {
    if (attr !== 'srcset' && looksLikeImage(value)) urls.push(value);
    return undefined;
  });
  return [...new Set(urls)];
}

const decodeAttr = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
