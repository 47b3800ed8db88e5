/**
 * Paragraphs from classic-editor text, the way WordPress shows it: a blank line starts a new
 * paragraph, a single line break becomes <br />, and block-level HTML the author typed is left
 * as it is (text directly inside a <blockquote> still gets its paragraphs).
 *
 * Pieces already converted to HTML (shortcodes, <pre> blocks) are passed in as placeholders
 * (`\uE000N\uE001` standing alone between blank lines) and put back untouched.
 */

const BLOCK_TAGS =
  'address|article|aside|audio|blockquote|canvas|caption|col|colgroup|dd|details|div|dl|dt|embed|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|legend|li|map|math|menu|nav|noscript|object|ol|p|pre|script|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul|video';

// `[^<>]` rather than `[^>]`: a stray "<" never makes a match attempt run to the end of the text.
const OPEN_BLOCK = new RegExp(`(<(?:${BLOCK_TAGS})(?=[\\s/>])[^<>]*>)`, 'gi');
const CLOSE_BLOCK = new RegExp(`(</(?:${BLOCK_TAGS})>)`, 'gi');
const LEADING_OPEN = new RegExp(`^<((?:${BLOCK_TAGS}))(?=[\\s/>])[^<>]*>`, 'i');
const TRAILING_CLOSE = new RegExp(`</((?:${BLOCK_TAGS}))>$`, 'i');
const VOID_BLOCK = /^(?:hr|col|embed)$/i;
const PLACEHOLDER = /^\uE000(\d+)\uE001$/;

export function placeholder(store: string[], html: string): string {
  store.push(html);
  return `\n\n\uE000${store.length - 1}\uE001\n\n`;
}

/** Single line breaks outside tags become <br />. */
function breaks(text: string): string {
  return text
    .split(/(<[^<>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[ \t]*\n[ \t]*/g, '<br />\n')))
    .join('');
}

const KEPT_AS_IS = /<(pre|script|style|textarea)\b/gi;

/** <pre>, <script>, <style> and <textarea> keep their line breaks exactly: set aside as placeholders. */
function protect(text: string, store: string[]): string {
  let out = '';
  let at = 0;
  const lower = text.toLowerCase();
  KEPT_AS_IS.lastIndex = 0;
  for (;;) {
    const m = KEPT_AS_IS.exec(text);
    if (!m) break;
    const closeTag = `</${m[1].toLowerCase()}>`;
    const close = lower.indexOf(closeTag, m.index);
    // Never closed: the rest is left to the HTML parser (and no later one can close either).
    if (close === -1) break;
    const end = close + closeTag.length;
    out += text.slice(at, m.index) + placeholder(store, text.slice(m.index, end));
    at = end;
    KEPT_AS_IS.lastIndex = end;
  }
  return out + text.slice(at);
}

export function autop(input: string, store: string[] = []): string {
  if (!input.trim()) return '';
  let text = input.replace(/\r\n?/g, '\n');
  text = protect(text, store);
  text = text.replace(/<br\s*\/?>\s*<br\s*\/?>/gi, '\n\n');
  text = text.replace(OPEN_BLOCK, '\n\n$1');
  text = text.replace(CLOSE_BLOCK, '$1\n\n');
  const out: string[] = [];
  for (const raw of text.split(/\n[ \t]*\n/)) {
    let chunk = raw.trim();
    if (!chunk) continue;
    const ph = PLACEHOLDER.exec(chunk);
    if (ph) {
      out.push(store[Number(ph[1])]);
      continue;
    }
    let lead = '';
    let trail = '';
    const open = LEADING_OPEN.exec(chunk);
    if (open) {
      lead = open[0];
      chunk = chunk.slice(lead.length).trim();
      if (VOID_BLOCK.test(open[1])) {
        out.push(lead);
        if (!chunk) continue;
        lead = '';
      }
    }
    const close = TRAILING_CLOSE.exec(chunk);
    if (close) {
      trail = close[0];
      chunk = chunk.slice(0, chunk.length - trail.length).trim();
    }
    // A paragraph the author opened or closed by hand, cut in two by a block inside it: each half is closed.
    if (/^<p[\s>]/i.test(lead) && !trail) trail = '</p>';
    else if (/^<\/p>/i.test(trail) && !lead) lead = '<p>';
    const quoted = /^<blockquote/i.test(lead) || /^<\/blockquote/i.test(trail);
    const wrap = chunk && ((!lead && !trail) || quoted);
    const middle = wrap ? `<p>${breaks(chunk)}</p>` : breaks(chunk);
    out.push(`${lead}${middle}${trail}`);
  }
  // Placeholders inside a paragraph (an inline shortcode) are put back in place.
  return out.join('\n').replace(/\uE000(\d+)\uE001/g, (_m, n) => store[Number(n)] ?? '');
}
