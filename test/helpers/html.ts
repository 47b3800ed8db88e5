/** Small helpers to read server-rendered HTML in tests without a DOM. */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

export function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

/** The attributes of every opening `<tag …>`, decoded. */
export function tags(html: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs[a[1].toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push(attrs);
  }
  return out;
}

/** The visible text of a fragment: tags removed, entities decoded, spaces collapsed. */
export function text(html: string): string {
  return decode(
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  ).trim();
}

/** The outer HTML of the first element `<tag …class="…name…">…</tag>` (no nesting of the same tag inside). */
export function element(html: string, tag: string, marker: string): string {
  const re = new RegExp(`<${tag}\\b[^>]*${marker}[^>]*>[\\s\\S]*?</${tag}>`, 'i');
  return re.exec(html)?.[0] ?? '';
}

/** Every URL a page points at (href, src, srcset, action, content of og-like metas). */
export function urls(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\s(href|src|action|poster|data)\s*=\s*"([^"]*)"/gi)) found.push(decode(m[2]));
  for (const m of html.matchAll(/\ssrcset\s*=\s*"([^"]*)"/gi)) {
    for (const part of decode(m[1]).split(',')) if (part.trim()) found.push(part.trim().split(/\s+/)[0]);
  }
  return found;
}

/** True for a URL that would leave the site: an absolute http(s) or protocol-relative URL to another host. */
export function isThirdParty(url: string, ownOrigins: string[]): boolean {
  if (url.startsWith('//')) return true;
  if (!/^https?:/i.test(url)) return false;
  return !ownOrigins.some((o) => url.startsWith(`${o}/`) || url === o);
}
