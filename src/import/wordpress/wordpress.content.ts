import { DomUtils, parseDocument } from 'htmlparser2';
import type { ImportedImage } from '../import.model.js';
import { autop, placeholder } from './wordpress.autop.js';
import { type Block, hasBlocks, parseBlocks } from './wordpress.blocks.js';
import { type ContentContext, escapeHtml, figure, linkParagraph, replaceShortcodes } from './wordpress.shortcodes.js';

export type { ContentContext } from './wordpress.shortcodes.js';

/**
 * Post content as WordPress stores it (classic HTML with shortcodes, or block markup) → the HTML
 * WordPress would show, without its block wrappers and editor classes. Not sanitised here: the
 * writer sanitises everything it stores. Tags are balanced on the way out.
 */
export function convertContent(content: string, ctx: ContentContext): string {
  try {
    const html = hasBlocks(content) ? convertBlocks(content, ctx) : classic(content, ctx);
    return balance(html);
  } catch (error) {
    // Elements nested thousands deep overflow the (recursive) serialiser: keep the words, not the markup.
    if (!(error instanceof RangeError)) throw error;
    ctx.warn('content nested too deeply to convert: imported as plain text');
    return flatText(content)
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n');
  }
}

/** Text with every tag removed by a flat scan (no tree), entities decoded. */
function flatText(html: string): string {
  const stripped = html.replace(/<[^<>]*>/g, ' ').replace(/[<>]/g, ' ');
  return DomUtils.textContent(parseDocument(stripped));
}

function textOf(html: string): string {
  try {
    return DomUtils.textContent(parseDocument(html));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return flatText(html);
  }
}

/** Re-serialises HTML so every element is closed where it should be. */
export function balance(html: string): string {
  if (!html.trim()) return '';
  return DomUtils.getOuterHTML(parseDocument(html).children, { encodeEntities: 'utf8', emptyAttrs: true }).trim();
}

/** Text of an HTML fragment: tags dropped, entities decoded, whitespace tidied. */
export function plainText(html: string): string {
  if (!html) return '';
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  return textOf(html).replace(/\s+/g, ' ').trim();
}

/** A comment's text: paragraphs and line breaks kept as line breaks, markup dropped. */
export function commentText(html: string): string {
  const withBreaks = html
    .replace(/\r\n?/g, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*/gi, '\n\n');
  const text = /[<&]/.test(withBreaks) ? textOf(withBreaks) : withBreaks;
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** HTML comments dropped (<!--more--> and the like); an unclosed one runs to the end, as in a browser. */
function stripComments(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open === -1) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf('-->', open + 4);
    if (close === -1) return out;
    at = close + 3;
  }
}

const BARE_URL_LINE = /^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gim;

/** Classic editor content: comments dropped, shortcodes converted, lone URLs (auto-embeds) linked, paragraphs made. */
function classic(text: string, ctx: ContentContext): string {
  if (!text.trim()) return '';
  const store: string[] = [];
  // The placeholder marks are private-use characters: any in the text itself are dropped first.
  let body = text.replace(/[\uE000\uE001]/g, '').replace(/\r\n?/g, '\n');
  body = stripComments(body);
  body = replaceShortcodes(body, ctx, (html) => placeholder(store, html));
  body = body.replace(BARE_URL_LINE, (_m, url: string) => placeholder(store, linkParagraph(url)));
  return autop(body, store);
}

/** Blocks rendered in order; classic text between them goes through the classic path. */
function convertBlocks(content: string, ctx: ContentContext): string {
  const out: string[] = [];
  for (const piece of parseBlocks(content)) {
    if ('freeform' in piece) {
      if (piece.freeform.trim()) out.push(classic(piece.freeform, ctx));
    } else {
      const html = renderBlock(piece.block, ctx);
      if (html.trim()) out.push(html.trim());
    }
  }
  return out.join('\n');
}

/** The block's saved HTML with its inner blocks rendered in place. */
function innerHtml(block: Block, ctx: ContentContext): string {
  let i = 0;
  return block.parts.map((part) => (part === null ? renderBlock(block.inner[i++], ctx) : part)).join('');
}

/** Only the inner blocks (a layout wrapper's own markup is dropped). */
function childrenHtml(block: Block, ctx: ContentContext): string {
  return block.inner
    .map((b) => renderBlock(b, ctx))
    .filter((h) => h.trim())
    .join('\n');
}

const STRIP_ATTRS = /\s(?:class|style|id|data-[\w-]+)="[^"]*"/g;

/** Drops the editor's classes and inline styles from a block's outer markup. */
function clean(html: string): string {
  return html
    .replace(/<([a-z][a-z0-9]*)\b([^>]*)>/gi, (_m, tag: string, attrs: string) => `<${tag}${attrs.replace(STRIP_ATTRS, '')}>`)
    .trim();
}

const LAYOUT = new Set([
  'core/group',
  'core/columns',
  'core/column',
  'core/row',
  'core/stack',
  'core/buttons',
  'core/cover',
  'core/media-text',
]);
const DROPPED = new Set(['core/spacer', 'core/more', 'core/nextpage', 'core/separator-spacer']);
const KEPT = new Set([
  'core/paragraph',
  'core/heading',
  'core/list',
  'core/list-item',
  'core/quote',
  'core/table',
  'core/preformatted',
  'core/code',
]);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function renderBlock(block: Block, ctx: ContentContext): string {
  const { name } = block;
  if (KEPT.has(name)) return clean(innerHtml(block, ctx));
  if (DROPPED.has(name)) return '';
  if (LAYOUT.has(name)) {
    // A cover or media-text block's image is part of what readers saw.
    const image = name === 'core/cover' || name === 'core/media-text' ? imagesOf(innerHtml(block, ctx)).slice(0, 1) : [];
    return [...image.map(figure), childrenHtml(block, ctx)].filter(Boolean).join('\n');
  }
  switch (name) {
    case 'core/freeform':
    case 'core/shortcode':
      return classic(innerHtml(block, ctx), ctx);
    case 'core/html':
      return innerHtml(block, ctx).trim();
    case 'core/separator':
      return '<hr />';
    case 'core/verse':
      return clean(innerHtml(block, ctx).replace(/<(\/?)pre\b/gi, '<$1pre'));
    case 'core/image':
      return imageBlock(block, ctx);
    case 'core/gallery':
      return galleryBlock(block, ctx);
    case 'core/pullquote':
      return pullquote(innerHtml(block, ctx));
    case 'core/button': {
      const a = /<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/i.exec(innerHtml(block, ctx));
      return a ? `<p><a href="${a[1]}">${a[2]}</a></p>` : '';
    }
    case 'core/video':
    case 'core/audio':
    case 'core/file': {
      const src = /\s(?:src|href)="([^"]+)"/i.exec(innerHtml(block, ctx));
      return src ? linkParagraph(decodeAttr(src[1])) : '';
    }
  }
  if (name === 'core/embed' || name.startsWith('core-embed/')) return embedBlock(block, ctx);
  if (name === 'core/block') return reusableBlock(block, ctx);
  const inner = innerHtml(block, ctx).trim();
  ctx.warn(`unknown block ${name}: ${inner ? 'its HTML was kept' : 'it had no HTML and was left out'}`);
  return inner;
}

/** Reusable blocks currently being rendered: one that contains itself is shown once, not forever. */
const rendering = new Set<string>();

function reusableBlock(block: Block, ctx: ContentContext): string {
  const ref = block.attrs.ref === undefined ? '' : String(block.attrs.ref);
  const content = ref ? ctx.reusable?.(ref) : undefined;
  if (content === undefined) {
    ctx.warn(`reusable block ${ref || '(no id)'} is not in the export (left out)`);
    return '';
  }
  if (rendering.has(ref) || rendering.size >= 8) {
    ctx.warn(`reusable block ${ref} contains itself (shown once)`);
    return '';
  }
  rendering.add(ref);
  try {
    return hasBlocks(content) ? convertBlocks(content, ctx) : classic(content, ctx);
  } finally {
    rendering.delete(ref);
  }
}

function decodeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function embedBlock(block: Block, ctx: ContentContext): string {
  const html = innerHtml(block, ctx);
  const url = str(block.attrs.url) ?? /https?:\/\/[^\s<>"]+/.exec(html.replace(/<[^>]*>/g, ' '))?.[0];
  if (!url) {
    ctx.warn(`embed block without a URL (left out)`);
    return '';
  }
  const caption = /<figcaption[^>]*>([\s\S]*?)<\/figcaption>/i.exec(html)?.[1]?.trim();
  return linkParagraph(url, caption);
}

interface FoundImage extends ImportedImage {
  href?: string;
}

/** Every <img> in a piece of HTML with the caption of its figure. */
function imagesOf(html: string): FoundImage[] {
  const doc = parseDocument(html);
  const found: FoundImage[] = [];
  for (const img of DomUtils.getElementsByTagName('img', doc.children, true)) {
    const url = img.attribs.src;
    if (!url) continue;
    let caption: string | undefined;
    let el = img.parent;
    while (el && el.type === 'tag' && (el as typeof img).name !== 'figure') el = el.parent;
    if (el && el.type === 'tag') {
      const cap = DomUtils.getElementsByTagName('figcaption', [el], true, 1)[0];
      if (cap) caption = DomUtils.getInnerHTML(cap, { encodeEntities: 'utf8' }).trim() || undefined;
    }
    found.push({ url, alt: img.attribs.alt || undefined, caption });
  }
  return found;
}

function figureHtml(image: FoundImage): string {
  const img = `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? '')}" />`;
  // The caption came from the post's own HTML: kept as HTML (links, emphasis).
  return image.caption ? `<figure>${img}<figcaption>${image.caption}</figcaption></figure>` : `<figure>${img}</figure>`;
}

function imageBlock(block: Block, ctx: ContentContext): string {
  const [image] = imagesOf(innerHtml(block, ctx));
  if (image) return figureHtml(image);
  const id = block.attrs.id;
  const fromLibrary = id === undefined ? undefined : ctx.attachment(String(id));
  if (fromLibrary) return figure(fromLibrary);
  ctx.warn('image block without an image (left out)');
  return '';
}

function galleryBlock(block: Block, ctx: ContentContext): string {
  // Galleries since WordPress 5.9 hold image blocks; older ones list their images in one <ul>.
  if (block.inner.length) return childrenHtml(block, ctx);
  const images = imagesOf(innerHtml(block, ctx));
  if (images.length) return images.map(figureHtml).join('\n');
  const ids = Array.isArray(block.attrs.ids) ? block.attrs.ids.map(String) : [];
  const fromLibrary = ids.map((id) => ctx.attachment(id)).filter((a): a is ImportedImage => !!a);
  if (!fromLibrary.length) ctx.warn('gallery block without images (left out)');
  return fromLibrary.map(figure).join('\n');
}

/** A pull quote is a figure around a blockquote: kept as the blockquote, its citation in <cite>. */
function pullquote(html: string): string {
  const quote = /<blockquote\b[^>]*>([\s\S]*?)<\/blockquote>/i.exec(html);
  const body = quote ? quote[1] : html.replace(/<\/?figure\b[^>]*>/gi, '');
  return clean(`<blockquote>${body.trim()}</blockquote>`);
}
