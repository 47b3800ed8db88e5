import { Feed, type Item } from 'feed';
import { render } from 'preact-render-to-string';
import { articleUrl, authorUrl } from '../articles/article.urls.js';
import { contentModified } from '../seo/date.format.js';
import { absoluteMediaUrl, absolutizeHtml, bestJpeg } from '../seo/image.pick.js';
import type { FeedArticle } from './feed.repo.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedChannel {
  /** Absolute URL of the site, e.g. https://news.example.org */
  origin: string;
  title: string;
  description: string;
  /** Path of the HTML page the feed follows, e.g. /politics */
  pagePath: string;
  /** Paths of this feed in each format. */
  paths: Record<FeedFormat, string>;
  /** BCP 47, e.g. en-US */
  language: string;
  siteName: string;
  /** The WebSub hub the feed declares (a site setting), if any. */
  hub?: string;
}

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

// Characters XML 1.0 does not allow, and the one sequence that would end a CDATA section early.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlText = (s: string) => s.replace(NOT_XML, '').replaceAll(']]>', ']]&gt;');
/**
 * The `feed` package escapes `&` and `"` in attribute values but leaves `<`, which XML forbids
 * there. A `<` in an attribute is carried as U+FFFF (a character `xmlText` removes from all
 * feed text, so it stands for nothing else) and written as `&lt;` once the document is made.
 */
const LT_MARK = '\uFFFF';
const xmlAttr = (s: string) => xmlText(s).replaceAll('<', LT_MARK);
const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The full text of an article for feed readers: the hero figure, then the sanitised body, with absolute links. */
function contentHtml(a: FeedArticle, origin: string): string {
  const hero = a.card.hero;
  const img = hero ? bestJpeg(hero, 1200) : undefined;
  const figure =
    hero && img
      ? render(
          <figure>
            <img src={absoluteMediaUrl(origin, img)} alt={hero.alt} width={img.width} height={img.height} />
            {a.heroCaption || a.heroCredit ? <figcaption>{[a.heroCaption, a.heroCredit].filter(Boolean).join(' — ')}</figcaption> : null}
          </figure>,
        )
      : '';
  return figure + absolutizeHtml(a.bodyHtml, origin);
}

function toItem(a: FeedArticle, ch: FeedChannel, format: FeedFormat): Item {
  const c = a.card;
  const link = `${ch.origin}${articleUrl(c)}`;
  const published = new Date(c.publishedAt);
  const updated = new Date(contentModified(c));
  const img = c.hero ? bestJpeg(c.hero, 1200) : undefined;
  // Atom titles and RSS/Atom summaries are HTML: escape the plain text; JSON Feed fields are plain.
  const html = format !== 'json';
  const xmlSafe = html ? xmlText : (s: string) => s;
  const item: Item = {
    title: xmlSafe(format === 'atom' ? escapeHtml(c.headline) : c.headline),
    id: link,
    link,
    date: updated,
    published,
    description: xmlSafe(html ? escapeHtml(c.standfirst) : c.standfirst) || undefined,
    content: xmlSafe(contentHtml(a, ch.origin)),
    // Atom requires `term` (RFC 4287 §4.2.2): the slug, in the scheme of the section or tag pages; the name is the label.
    category: [
      { name: c.section.name, term: c.section.slug, scheme: `${ch.origin}/` },
      ...a.tags.map((t) => ({ name: t.name, term: t.slug, scheme: `${ch.origin}/tag/` })),
    ].map((k) => (format === 'atom' ? { name: xmlAttr(k.name), term: xmlAttr(k.term), scheme: k.scheme } : { name: xmlSafe(k.name) })),
  };
  if (img) item.image = { url: absoluteMediaUrl(ch.origin, img), type: 'image/jpeg', length: img.bytes };
  const authors = c.authors.map((p) => ({ name: xmlSafe(p.name), link: `${ch.origin}${authorUrl(p)}` }));
  // RSS 2.0's <author> must be an e-mail address: bylines go in <dc:creator> instead.
  if (format === 'rss')
    item.extensions = authors.length
      ? [{ name: 'dc:creator', objects: authors.map((p) => ({ _text: p.name })) as unknown as Record<string, unknown> }]
      : [];
  else item.author = authors;
  return item;
}

/** A feed in one format: RSS 2.0, Atom 1.0 or JSON Feed 1.1, built with the `feed` package. */
export function buildFeed(ch: FeedChannel, articles: FeedArticle[], format: FeedFormat): string {
  const abs = (p: string) => `${ch.origin}${p}`;
  const newest = articles.reduce<Date | undefined>((max, a) => {
    const d = new Date(contentModified(a.card));
    return !max || d > max ? d : max;
  }, undefined);
  const feed = new Feed({
    id: abs(ch.pagePath),
    title: xmlText(ch.title),
    description: xmlText(ch.description),
    link: abs(ch.pagePath),
    language: ch.language,
    // A stable date for an empty feed keeps its ETag stable too.
    updated: newest ?? new Date(0),
    generator: 'Gazette',
    feedLinks: { rss: abs(ch.paths.rss), atom: abs(ch.paths.atom), json: abs(ch.paths.json) },
    copyright: xmlText(`© ${ch.siteName}`),
    hub: ch.hub || undefined,
  });
  for (const a of articles) feed.addItem(toItem(a, ch, format));
  if (format === 'rss') return feed.rss2();
  // The package derives Atom enclosure types from the file extension (.jpg → image/jpg): name it properly.
  if (format === 'atom') return feed.atom1().replaceAll('type="image/jpg"', 'type="image/jpeg"').replaceAll(LT_MARK, '&lt;');
  return toJsonFeed11(feed.json1(), articles, ch);
}

/** The package writes JSON Feed 1.0; 1.1 adds `authors` (several bylines) and `language`. */
function toJsonFeed11(json: string, articles: FeedArticle[], ch: FeedChannel): string {
  const doc = JSON.parse(json);
  doc.version = 'https://jsonfeed.org/version/1.1';
  doc.language = ch.language;
  doc.authors = [{ name: ch.siteName, url: `${ch.origin}/` }];
  if (ch.hub) doc.hubs = [{ type: 'WebSub', url: ch.hub }];
  delete doc.author;
  doc.items = doc.items.map((item: Record<string, unknown>, i: number) => {
    const authors = articles[i].card.authors.map((p) => ({ name: p.name, url: `${ch.origin}${authorUrl(p)}` }));
    const { author: _single, ...rest } = item;
    return { ...rest, ...(authors.length ? { authors } : {}), language: ch.language };
  });
  return JSON.stringify(doc);
}
