import type MarkdownIt from 'markdown-it';
import type SanitizeHtml from 'sanitize-html';
import { lazy } from '../lazy.js';

const sanitizeModule = lazy<typeof SanitizeHtml>('sanitize-html');
const markdownModule = lazy<typeof MarkdownIt>('markdown-it');
let parser: InstanceType<typeof MarkdownIt> | undefined;
const md = () => {
  parser ??= new (markdownModule())({ html: true, linkify: true, typographer: true });
  return parser;
};
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions) => sanitizeModule()(html, options);

/** A relative or root-relative URL (same origin); not a scheme URL nor a protocol-relative one. */
function isOwnImage(src: string | undefined): boolean {
  return !!src && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('//') && !src.startsWith('\\');
}

// What an article body may contain after rendering. Anything else (script, iframe, style,
// event attributes, javascript: URLs) is removed, whatever the Markdown said.
const policy: SanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'code',
    'pre',
    'a',
    'img',
    'figure',
    'figcaption',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'abbr',
    'cite',
    'q',
    'small',
    'mark',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    abbr: ['title'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Reader pages request nothing from third parties: an image must live on this site.
  exclusiveFilter: (frame) => frame.tag === 'img' && !isOwnImage(frame.attribs.src),
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => {
      const external = /^https?:\/\//i.test(attribs.href ?? '');
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener' } : { ...attribs } };
    },
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
  },
};

/** Markdown → sanitised HTML, safe to put in a page as it is. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(md().render(markdown), policy);
}

/** Plain text of a Markdown document (for summaries and search snippets). */
export function markdownToText(markdown: string): string {
  return sanitizeHtml(md().render(markdown), { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
