import { SITE_PATHS, versioned } from '../seo/site.assets.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { listReadyNarrations } from './narration.repo.js';

export type Episode = Awaited<ReturnType<typeof listReadyNarrations>>[number] & { authors: string[] };

export interface PodcastChannel {
  origin: string;
  title: string;
  description: string;
  /** Path of the page the feed belongs to ("/" or "/politics"). */
  pagePath: string;
  feedPath: string;
  language: string;
  siteName: string;
  /** Absolute URL of the square show artwork (1400–3000 px, JPEG). */
  artworkUrl: string;
  /** The show's owner for podcast directories: the site's name, and an e-mail when the settings give one. */
  owner: { name: string; email?: string };
}

/** The show's artwork (the uploaded one, else drawn from the site name, at a versioned address) and its owner. */
export function podcastShow(origin: string, s: SiteSettings): Pick<PodcastChannel, 'artworkUrl' | 'owner'> {
  return {
    artworkUrl: `${origin}${versioned(s, SITE_PATHS.artwork)}`,
    owner: { name: s.siteName, ...(s.podcastOwnerEmail ? { email: s.podcastOwnerEmail } : {}) },
  };
}

/** XML text and attribute escaping: every value in the feed goes through this. */
export function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

type Node = string | { tag: string; attrs?: Record<string, string>; children?: Node[]; text?: string };

function render(node: Node, indent: string): string {
  if (typeof node === 'string') return indent + node;
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
  if (node.text !== undefined) return `${indent}<${node.tag}${attrs}>${xmlEscape(node.text)}</${node.tag}>`;
  if (!node.children?.length) return `${indent}<${node.tag}${attrs}/>`;
  return `${indent}<${node.tag}${attrs}>\n${node.children.map((c) => render(c, `${indent}  `)).join('\n')}\n${indent}</${node.tag}>`;
}

const el = (tag: string, text: string, attrs?: Record<string, string>): Node => ({ tag, text, attrs });
/** Whole seconds, cut as the player and the newsroom show them. */
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** RSS 2.0 with the iTunes podcast tags: one episode per narrated article, its MP3 as the enclosure. */
export function buildPodcast(channel: PodcastChannel, episodes: Episode[]): string {
  const abs = (path: string) => `${channel.origin}${path}`;
  const items: Node[] = episodes.map((e) => {
    const link = abs(`/${e.section_slug}/${e.slug}`);
    return {
      tag: 'item',
      children: [
        el('title', e.headline),
        el('link', link),
        el('guid', `${link}#listen`, { isPermaLink: 'false' }),
        el('description', e.standfirst),
        el('pubDate', new Date(e.published_at ?? Date.now()).toUTCString()),
        el('category', e.section_name),
        { tag: 'enclosure', attrs: { url: abs(`/audio/${e.file}`), length: String(e.bytes ?? 0), type: 'audio/mpeg' } },
        el('itunes:duration', seconds(e.duration_ms ?? 0)),
        el('itunes:author', e.authors.join(', ') || channel.siteName),
        el('itunes:summary', e.standfirst),
        el('itunes:explicit', 'false'),
        el('itunes:episodeType', 'full'),
      ],
    };
  });
  const rss: Node = {
    tag: 'rss',
    attrs: { version: '2.0', 'xmlns:itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd', 'xmlns:atom': 'http://www.w3.org/2005/Atom' },
    children: [
      {
        tag: 'channel',
        children: [
          el('title', channel.title),
          el('link', abs(channel.pagePath)),
          { tag: 'atom:link', attrs: { href: abs(channel.feedPath), rel: 'self', type: 'application/rss+xml' } },
          el('description', channel.description),
          el('language', channel.language),
          el('generator', 'Gazette'),
          {
            tag: 'image',
            children: [el('url', channel.artworkUrl), el('title', channel.title), el('link', abs(channel.pagePath))],
          },
          el('itunes:author', channel.siteName),
          {
            tag: 'itunes:owner',
            children: [el('itunes:name', channel.owner.name), ...(channel.owner.email ? [el('itunes:email', channel.owner.email)] : [])],
          },
          { tag: 'itunes:image', attrs: { href: channel.artworkUrl } },
          el('itunes:summary', channel.description),
          el('itunes:explicit', 'false'),
          el('itunes:type', 'episodic'),
          { tag: 'itunes:category', attrs: { text: 'News' } },
          ...items,
        ],
      },
    ],
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(rss, '')}\n`;
}
