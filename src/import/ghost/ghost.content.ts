import { renderMarkdown } from '../../text/markdown.js';

/**
 * Ghost keeps a post's content as Lexical (5.x) or Mobiledoc (4.x) JSON and, in its exports, the
 * HTML it rendered from them. The importer uses that HTML; these turn the JSON into HTML, as
 * faithfully as the common cards allow, for exports that lack it.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const str = (v: unknown) => (typeof v === 'string' ? v : '');

type Node = Record<string, unknown> & { type?: string; children?: Node[] };

function figure(src: string, alt: string, caption: string): string {
  if (!src) return '';
  return `<figure><img src="${esc(src)}" alt="${esc(alt)}">${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

function lexicalText(node: Node): string {
  const format = Number(node.format ?? 0);
  let t = esc(str(node.text));
  if (format & 16) t = `<code>${t}</code>`;
  if (format & 1) t = `<strong>${t}</strong>`;
  if (format & 2) t = `<em>${t}</em>`;
  if (format & 4) t = `<s>${t}</s>`;
  return t;
}

function lexicalNode(node: Node): string {
  const inner = () => (node.children ?? []).map(lexicalNode).join('');
  switch (node.type) {
    case 'root':
      return inner();
    case 'text':
    case 'extended-text':
      return lexicalText(node);
    case 'linebreak':
      return '<br>';
    case 'link':
      return `<a href="${esc(str(node.url))}">${inner()}</a>`;
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading':
    case 'extended-heading': {
      const tag = /^h[1-6]$/.test(str(node.tag)) ? str(node.tag) : 'h2';
      return `<${tag}>${inner()}</${tag}>`;
    }
    case 'quote':
    case 'extended-quote':
    case 'aside':
      return `<blockquote>${inner()}</blockquote>`;
    case 'list': {
      const tag = node.listType === 'number' ? 'ol' : 'ul';
      return `<${tag}>${inner()}</${tag}>`;
    }
    case 'listitem':
      return `<li>${inner()}</li>`;
    case 'image':
      return figure(str(node.src), str(node.alt) || str(node.altText), str(node.caption));
    case 'html':
      return str(node.html);
    case 'markdown':
      return renderMarkdown(str(node.markdown));
    case 'codeblock':
      return `<pre><code>${esc(str(node.code))}</code></pre>`;
    case 'horizontalrule':
      return '<hr>';
    case 'embed':
    case 'bookmark':
      return node.url ? `<p><a href="${esc(str(node.url))}">${esc(str(node.title) || str(node.url))}</a></p>` : '';
    default:
      return inner();
  }
}

/** Lexical JSON (a string as exported) → HTML. */
export function lexicalToHtml(json: string): string {
  const doc = JSON.parse(json) as { root?: Node };
  return doc.root ? lexicalNode(doc.root) : '';
}

type Marker = [number, number[], number, unknown];

function mobiledocCard(name: string, payload: Record<string, unknown>): string {
  switch (name) {
    case 'html':
      return str(payload.html);
    case 'markdown':
    case 'card-markdown':
      return renderMarkdown(str(payload.markdown));
    case 'image':
      return figure(str(payload.src), str(payload.alt), str(payload.caption));
    case 'hr':
      return '<hr>';
    case 'code':
      return `<pre><code>${esc(str(payload.code))}</code></pre>`;
    case 'embed':
    case 'bookmark':
      return payload.url ? `<p><a href="${esc(str(payload.url))}">${esc(str(payload.url))}</a></p>` : '';
    default:
      return '';
  }
}

/** Mobiledoc JSON (a string as exported) → HTML. */
export function mobiledocToHtml(json: string): string {
  const doc = JSON.parse(json) as {
    markups?: [string, string[]?][];
    cards?: [string, Record<string, unknown>][];
    sections?: unknown[][];
    atoms?: [string, string][];
  };
  const markups = doc.markups ?? [];
  const cards = doc.cards ?? [];
  const atoms = doc.atoms ?? [];
  const markers = (list: Marker[]): string => {
    let out = '';
    const open: string[] = [];
    for (const [kind, opens, closes, value] of list) {
      for (const i of opens) {
        const [tag, attrs = []] = markups[i] ?? ['span'];
        let attr = '';
        for (let a = 0; a + 1 < attrs.length; a += 2) attr += ` ${attrs[a]}="${esc(attrs[a + 1])}"`;
        out += `<${tag}${attr}>`;
        open.push(tag);
      }
      out += kind === 1 ? esc(str(atoms[Number(value)]?.[1])) : esc(str(value));
      for (let c = 0; c < closes; c++) out += `</${open.pop()}>`;
    }
    while (open.length) out += `</${open.pop()}>`;
    return out;
  };
  return (doc.sections ?? [])
    .map((section) => {
      const [type, a, b] = section as [number, unknown, unknown];
      if (type === 1) {
        const tag = /^(p|h[1-6]|blockquote|aside|pull-quote)$/i.test(str(a)) ? str(a).toLowerCase() : 'p';
        const html = tag === 'aside' || tag === 'pull-quote' ? 'blockquote' : tag;
        return `<${html}>${markers(b as Marker[])}</${html}>`;
      }
      if (type === 3) {
        const tag = a === 'ol' ? 'ol' : 'ul';
        return `<${tag}>${(b as Marker[][]).map((item) => `<li>${markers(item)}</li>`).join('')}</${tag}>`;
      }
      if (type === 2) return figure(str(a), '', '');
      if (type === 10) {
        const card = cards[Number(a)];
        return card ? mobiledocCard(card[0], card[1] ?? {}) : '';
      }
      return '';
    })
    .join('\n');
}
