/** Sitemap XML (sitemaps.org 0.9, with Google's image and news extensions), escaped by hand: there is no markup inside. */

const escapeXml = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface IndexEntry {
  loc: string;
  lastmod?: string;
}

export function sitemapIndexXml(entries: IndexEntry[]): string {
  const items = entries.map((e) => `<sitemap>${el('loc', e.loc)}${e.lastmod ? el('lastmod', e.lastmod) : ''}</sitemap>`);
  return `${HEAD}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join('\n')}\n</sitemapindex>\n`;
}

export interface UrlEntry {
  loc: string;
  lastmod?: string;
  /** Absolute image URLs (hero images). */
  images?: string[];
  news?: { name: string; language: string; publicationDate: string; title: string };
}

export function urlsetXml(entries: UrlEntry[]): string {
  const images = entries.some((e) => e.images?.length);
  const news = entries.some((e) => e.news);
  const ns = [
    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
    ...(images ? ['xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'] : []),
    ...(news ? ['xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'] : []),
  ].join(' ');
  const items = entries.map((e) => {
    const parts = [el('loc', e.loc)];
    if (e.lastmod) parts.push(el('lastmod', e.lastmod));
    if (e.news) {
      parts.push(
        `<news:news><news:publication>${el('news:name', e.news.name)}${el('news:language', e.news.language)}</news:publication>` +
          `${el('news:publication_date', e.news.publicationDate)}${el('news:title', e.news.title)}</news:news>`,
      );
    }
    for (const src of e.images ?? []) parts.push(`<image:image>${el('image:loc', src)}</image:image>`);
    return `<url>${parts.join('')}</url>`;
  });
  return `${HEAD}<urlset ${ns}>\n${items.join('\n')}\n</urlset>\n`;
}

/** The language code Google News wants: ISO 639 (zh-cn and zh-tw for Chinese). */
export function newsLanguage(locale: string): string {
  const [lang, region = ''] = locale.toLowerCase().split(/[-_]/);
  if (lang === 'zh') return region === 'tw' || region === 'hk' || region === 'hant' ? 'zh-tw' : 'zh-cn';
  return /^[a-z]{2,3}$/.test(lang) ? lang : 'en';
}
