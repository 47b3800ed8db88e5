import type { Executor } from '../events.js';

/**
 * The page-cache keys: each cached page carries the keys of what it shows, and each event
 * purges the keys of what it changed. This file is the only place that knows both sides.
 * Where a page's keys come from (queries noting them, `reply.cacheKeys`, `ROUTE_KEYS` below):
 * docs/performance.md, "Exact invalidation".
 *
 * - `article:ID`  a page that shows article ID (its own page, or a card of it in a list)
 * - `comments:ID` a page that shows article ID's approved comments (its own page)
 * - `section:ID`, `author:ID`, `tag:ID`  a list of the articles in that section / by that
 *   author / with that tag (listing pages, the home page's section blocks, "More in …")
 * - `person:ID`   a page that shows that person's name in a byline
 * - `media:ID`    a page that shows that image
 * - `latest`      a list of the newest articles of the whole site (home, site feeds)
 * - `feeds`, `sitemaps`, `search`  those documents, whatever they list
 * - `podcast`     the podcast feeds (they list the articles whose narration is ready)
 * - `narration:ID` the page that plays article ID's narration (its own page; cards show none)
 */
export const cacheKey = {
  article: (id: number) => `article:${id}`,
  comments: (articleId: number) => `comments:${articleId}`,
  section: (id: number) => `section:${id}`,
  author: (id: number) => `author:${id}`,
  tag: (id: number) => `tag:${id}`,
  person: (id: number) => `person:${id}`,
  media: (id: number) => `media:${id}`,
  narration: (articleId: number) => `narration:${articleId}`,
  latest: 'latest',
  home: 'home',
  feeds: 'feeds',
  sitemaps: 'sitemaps',
  search: 'search',
  podcast: 'podcast',
} as const;

/**
 * Keys a page carries because of what kind of page it is, whatever its queries noted: a search
 * result page can change with any published article, the home page with any change of the front.
 */
export const ROUTE_KEYS: Record<string, string[]> = {
  '/': [cacheKey.home, cacheKey.latest],
  '/search': [cacheKey.search],
  '/sitemap.xml': [cacheKey.sitemaps],
  '/news-sitemap.xml': [cacheKey.sitemaps],
  '/feed.xml': [cacheKey.feeds],
  '/atom.xml': [cacheKey.feeds],
  '/feed.json': [cacheKey.feeds],
};

/** Purge every cached page (navigation, site name and the like appear on all of them). */
export const ALL = '*';

export interface StoredEvent {
  id: number;
  type: string;
  subject_id: number | null;
  payload: string;
}

type Rule = (db: Executor, event: StoredEvent) => Promise<string[]>;

const nothing: Rule = async () => [];
const everything: Rule = async () => [ALL];

/** An article changed: the pages that show it; when it is (or just stopped being) public, every list it belongs to. */
const articleChanged =
  (alwaysLists: boolean): Rule =>
  async (db, event) => {
    const id = event.subject_id;
    if (id === null) return [];
    const keys = [cacheKey.article(id)];
    const row = await db.selectFrom('articles').select(['status', 'section_id']).where('id', '=', id).executeTakeFirst();
    if (!row || (!alwaysLists && row.status !== 'published')) return keys;
    const [authors, tags] = await Promise.all([
      db.selectFrom('article_authors').select('person_id').where('article_id', '=', id).execute(),
      db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute(),
    ]);
    return [
      ...keys,
      cacheKey.section(row.section_id),
      ...authors.map((a) => cacheKey.author(a.person_id)),
      ...tags.map((t) => cacheKey.tag(t.tag_id)),
      cacheKey.latest,
      cacheKey.home,
      cacheKey.feeds,
      cacheKey.sitemaps,
      cacheKey.search,
    ];
  };

/** A comment changed: its article's discussion, unless it is (still) invisible to readers. */
const commentChanged =
  (onlyWhenApproved: boolean): Rule =>
  async (db, event) => {
    if (event.subject_id === null) return [];
    const row = await db.selectFrom('comments').select(['article_id', 'status']).where('id', '=', event.subject_id).executeTakeFirst();
    if (!row) return [];
    if (onlyWhenApproved && row.status !== 'approved') return [];
    return [cacheKey.comments(row.article_id)];
  };

/**
 * A narration is ready: the article page that plays it and the podcast feeds that list it. Not
 * the lists that show the article's card (a card has no player): purging those would make every
 * reader of the front pages wait for a render at the moment the audio is done.
 */
const narrationReady: Rule = async (_db, event) =>
  event.subject_id === null ? [cacheKey.podcast] : [cacheKey.narration(event.subject_id), cacheKey.podcast];

const subject =
  (...make: ((id: number) => string)[]): Rule =>
  async (_db, event) =>
    event.subject_id === null ? [] : make.map((m) => m(event.subject_id as number));

/**
 * Event type → the keys it purges. Every type of `EventType` (src/events.ts) must be listed:
 * a test fails on a missing one, and at run time an unknown type purges everything.
 */
export const PURGE_RULES: Record<string, Rule> = {
  'article.published': articleChanged(true),
  'article.updated': articleChanged(true),
  'article.unpublished': articleChanged(true),
  'article.restored': articleChanged(false),
  'article.corrected': articleChanged(false),
  // Draft work: invisible, unless a live article was sent back to draft (its cards go).
  'article.scheduled': articleChanged(false),
  'article.saved': articleChanged(false),
  'article.created': articleChanged(false),
  'article.submitted': articleChanged(false),
  'article.returned': articleChanged(false),
  'media.uploaded': nothing,
  'media.changed': subject(cacheKey.media),
  'media.deleted': subject(cacheKey.media),
  'tag.changed': everything,
  'user.changed': nothing,
  'section.changed': everything,
  'person.changed': subject(cacheKey.author, cacheKey.person),
  'settings.changed': everything,
  // A pending comment is invisible; one approved on arrival (trusted commenter) shows at once.
  'comment.submitted': commentChanged(true),
  'comment.approved': commentChanged(false),
  'comment.rejected': commentChanged(false),
  'comment.erased': commentChanged(false),
  'comment.reported': nothing,
  'commenter.banned': everything,
  // Lifting a ban changes no page.
  'commenter.unbanned': nothing,
  'narration.ready': narrationReady,
  'narration.failed': nothing,
  // Redirects answer only where no page is (never a cached 200), and are not kept in the page cache.
  'redirect.changed': nothing,
  // Readers' subscriptions, lists, webhook endpoints and the pronunciation lexicon show on no page.
  'subscriber.confirmed': nothing,
  'subscriber.unsubscribed': nothing,
  'newsletter.changed': nothing,
  'webhook.changed': nothing,
  'lexicon.changed': nothing,
  // An import's articles, people and terms record their own events.
  'import.finished': nothing,
};

/** The keys one recorded event purges (ALL for a type this version does not know). */
export async function keysToPurge(db: Executor, event: StoredEvent): Promise<string[]> {
  const rule = PURGE_RULES[event.type];
  if (!rule) return [ALL];
  return rule(db, event);
}

/** What the queries behind a page note about it (see tracker.ts), so that page can be purged exactly. */
export const shows = {
  cards(cards: { id: number; authors: { id: number }[]; hero: { id: number } | null }[]): string[] {
    const keys: string[] = [];
    for (const c of cards) {
      keys.push(cacheKey.article(c.id));
      for (const a of c.authors) keys.push(cacheKey.person(a.id));
      if (c.hero) keys.push(cacheKey.media(c.hero.id));
    }
    return keys;
  },
  list(opts: { sectionId?: number; personId?: number; tagId?: number }): string[] {
    const keys: string[] = [];
    if (opts.sectionId !== undefined) keys.push(cacheKey.section(opts.sectionId));
    if (opts.personId !== undefined) keys.push(cacheKey.author(opts.personId));
    if (opts.tagId !== undefined) keys.push(cacheKey.tag(opts.tagId));
    return keys.length ? keys : [cacheKey.latest];
  },
  article(id: number): string[] {
    return [cacheKey.article(id), cacheKey.comments(id)];
  },
};
