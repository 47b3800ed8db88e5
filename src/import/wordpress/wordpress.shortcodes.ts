import type { ImportedImage } from '../import.model.js';

/**
 * WordPress shortcodes in post content. The ones the core editor writes become plain HTML:
 * [caption] → figure/figcaption, [gallery] → its images, [embed], [video], [audio] → a link.
 * Any other shortcode is left as text, and reported once per post.
 */

export interface ContentContext {
  /** The post's sourceId, for warnings. */
  sourceId: string;
  /** An attachment (media library item) by its post id, when the export has it. */
  attachment(id: string): ImportedImage | undefined;
  /** Attachments whose parent is this post ([gallery] without ids). */
  childAttachments(): ImportedImage[];
  /** A reusable block's content (a `wp_block` item) by its post id, when the export has it. */
  reusable?(id: string): string | undefined;
  warn(message: string): void;
}

const CONVERTED = new Set(['caption', 'wp_caption', 'gallery', 'embed', 'video', 'audio', 'playlist']);

/** A name, then attributes up to the first `]`; no `[` or `]` inside (which also keeps each match attempt short). */
const OPEN = /\[(\[?)([a-zA-Z][\w-]*)((?:\s+(?:"[^"[\]]*"|'[^'[\]]*'|[^[\]"'\s])+)*)\s*(\/?)\](\]?)/g;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)/g;
  let positional = 0;
  for (const m of text.matchAll(re)) {
    if (m[1]) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
    else attrs[String(positional++)] = m[5] ?? m[6] ?? '';
  }
  return attrs;
}

export function figure(image: ImportedImage): string {
  const img = `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? '')}" />`;
  return image.caption ? `<figure>${img}<figcaption>${escapeHtml(image.caption)}</figcaption></figure>` : `<figure>${img}</figure>`;
}

export function linkParagraph(url: string, caption?: string): string {
  const safe = escapeHtml(url.trim());
  const link = `<p><a href="${safe}">${safe}</a></p>`;
  return caption ? `${link}\n<p>${caption}</p>` : link;
}

function captionShortcode(attrs: Record<string, string>, inner: string): string {
  // The image (perhaps in a link) comes first; the caption is the text after it, or an attribute.
  const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
  const body = media ? media[1] : inner.trim();
  const caption = (media ? media[2] : '').trim() || (attrs.caption ? escapeHtml(attrs.caption) : '');
  return caption ? `<figure>${body}<figcaption>${caption}</figcaption></figure>` : `<figure>${body}</figure>`;
}

function galleryShortcode(attrs: Record<string, string>, ctx: ContentContext): string {
  const list = attrs.ids || attrs.include;
  let images: ImportedImage[];
  if (list) {
    images = [];
    for (const id of list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const image = ctx.attachment(id);
      if (image) images.push(image);
      else ctx.warn(`gallery image ${id} is not in the export (left out)`);
    }
  } else {
    images = ctx.childAttachments();
  }
  if (!images.length) ctx.warn('gallery with no images found in the export (left out)');
  return images.map(figure).join('\n');
}

function mediaShortcode(name: string, attrs: Record<string, string>, inner: string): string {
  const url =
    name === 'embed'
      ? inner.trim()
      : (attrs.src ?? attrs.mp4 ?? attrs.mp3 ?? attrs.m4a ?? attrs.ogg ?? attrs.webm ?? attrs.wav ?? attrs.m4v ?? attrs.ogv ?? '');
  return url ? linkParagraph(url) : '';
}

/**
 * Replaces the shortcodes in `text`. `block` receives each piece of HTML made from a shortcode and
 * returns what to put in its place (the classic path turns it into a placeholder that autop keeps).
 */
export function replaceShortcodes(text: string, ctx: ContentContext, block: (html: string) => string = (h) => h): string {
  const reported = new Set<string>();
  const lower = text.toLowerCase();
  // Where each name's closing tags are, found once per name: the text is scanned in one direction,
  // so every lookup starts where the last one for that name ended (no rescanning).
  const closings = new Map<string, { at: number[]; next: number }>();
  const closeAfter = (name: string, from: number): number => {
    let entry = closings.get(name);
    if (!entry) {
      entry = { at: [], next: 0 };
      const tag = `[/${name}]`;
      for (let i = lower.indexOf(tag); i !== -1; i = lower.indexOf(tag, i + tag.length)) entry.at.push(i);
      closings.set(name, entry);
    }
    while (entry.next < entry.at.length && entry.at[entry.next] < from) entry.next++;
    return entry.next < entry.at.length ? entry.at[entry.next] : -1;
  };
  let out = '';
  let at = 0;
  OPEN.lastIndex = 0;
  for (;;) {
    const m = OPEN.exec(text);
    if (!m) break;
    const [whole, escOpen, rawName, rawAttrs, selfClose, escClose] = m;
    const name = rawName.toLowerCase();
    const start = m.index;
    let end = start + whole.length;
    // [[name]] is WordPress's way of writing a shortcode as text.
    if (escOpen && escClose) {
      out += text.slice(at, start) + whole.slice(1, -1);
      at = end;
      continue;
    }
    let inner = '';
    let enclosing = false;
    if (!selfClose) {
      // Like WordPress: an enclosing shortcode runs to the first closing tag of its name.
      const close = closeAfter(name, end);
      if (close !== -1) {
        inner = text.slice(end, close);
        end = close + name.length + 3;
        enclosing = true;
      }
    }
    const leading = escOpen;
    const attrs = parseAttributes(rawAttrs);
    if (CONVERTED.has(name)) {
      let html = '';
      if (name === 'caption' || name === 'wp_caption') html = captionShortcode(attrs, inner);
      else if (name === 'gallery') html = galleryShortcode(attrs, ctx);
      else if (name === 'playlist') html = galleryPlaylist(attrs, ctx);
      else html = mediaShortcode(name, attrs, inner);
      out += text.slice(at, start) + leading + (html ? block(html) : '');
      at = end;
      OPEN.lastIndex = end;
      continue;
    }
    // Square brackets are common in news copy ("[sic]", "[1]"): only something shaped like a
    // shortcode (attributes, a closing tag, a self-closing slash, a plugin-style name) is one.
    const words = rawAttrs.trim() ? rawAttrs.trim().split(/\s+/).length : 0;
    const looksLikeShortcode = enclosing || !!selfClose || /=/.test(rawAttrs) || /[_-]/.test(rawName) || words === 1;
    if (looksLikeShortcode && !reported.has(name)) {
      reported.add(name);
      ctx.warn(`unknown shortcode [${name}] kept as text`);
    }
    // Kept as text; whatever it enclosed is still read for shortcodes inside.
    out += text.slice(at, start + whole.length);
    at = start + whole.length;
    OPEN.lastIndex = at;
  }
  return out + text.slice(at);
}

function galleryPlaylist(attrs: Record<string, string>, ctx: ContentContext): string {
  const ids = (attrs.ids ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return ids
    .map((id) => ctx.attachment(id))
    .filter((a): a is ImportedImage => !!a)
    .map((a) => linkParagraph(a.url))
    .join('\n');
}
