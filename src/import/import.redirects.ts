import type { ImportedTerm, ImportSource } from './import.model.js';

/** An old address and the new one it answers 301 to. */
export interface RedirectPlan {
  from: string;
  to: string;
  articleId?: number;
}

/**
 * The path of an old address (a full URL of the old site, or a path), as the redirects table
 * keeps it; undefined for the front page or what is not an address at all. A `?p=123` query is
 * kept (WordPress' own short links).
 */
export function oldPathOf(url: string, _siteUrl?: string): string | undefined {
  const raw = url.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw, 'http://old.invalid/');
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  let path = parsed.pathname.replace(/\/+$/, '') || '/';
  const query = /^\?(p|page_id)=\d+$/.exec(parsed.search)?.[0];
  if (query) return `${path === '/' ? '/' : path}${query}`;
  if (path === '/') return undefined;
  if (path.length > 1 && !path.startsWith('/')) path = `/${path}`;
  return path;
}

/** The chain of slugs of a category with its parents ("news/local"), as WordPress addresses it. */
function categoryPath(term: ImportedTerm, all: Map<string, ImportedTerm>): string {
  const parts = [term.slug];
  let parent = term.parentId ? all.get(term.parentId) : undefined;
  for (let depth = 0; parent && depth < 10; depth++) {
    parts.unshift(parent.slug);
    parent = parent.parentId ? all.get(parent.parentId) : undefined;
  }
  return parts.join('/');
}

/**
 * The old site's listing addresses and feeds → their Gazette counterparts: WordPress
 * `/category/x/`, `/tag/x/` and `/author/x/` (and their `/feed/`), `/feed/`; Ghost `/tag/x/`,
 * `/author/x/` (and their `/rss/`) and `/rss/`. `archives` says where each imported category, tag
 * or author now lives (`category:slug` → `/politics`, `author:jo` → `/author/jo-bloggs`).
 */
export function archivePlans(input: {
  source: ImportSource;
  categories: ImportedTerm[];
  tags: ImportedTerm[];
  archives: Map<string, string>;
}): RedirectPlan[] {
  const plans: RedirectPlan[] = [];
  const feedOf = (to: string) => `${to}/feed.xml`;
  if (input.source === 'wordpress') {
    plans.push({ from: '/feed', to: '/feed.xml' }, { from: '/feed/rss2', to: '/feed.xml' }, { from: '/feed/atom', to: '/atom.xml' });
    const byId = new Map(input.categories.map((c) => [c.sourceId, c]));
    for (const [key, to] of input.archives) {
      const [kind, slug] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const term = kind === 'category' ? input.categories.find((c) => c.slug === slug) : undefined;
      const path = term ? categoryPath(term, byId) : slug;
      const from = kind === 'category' ? `/category/${path}` : `/${kind}/${slug}`;
      if (from !== to) plans.push({ from, to });
      plans.push({ from: `${from}/feed`, to: feedOf(to) });
    }
  } else {
    plans.push({ from: '/rss', to: '/feed.xml' });
    for (const [key, to] of input.archives) {
      const [kind, slug] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const from = `/${kind === 'author' ? 'author' : 'tag'}/${slug}`;
      if (from !== to) plans.push({ from, to });
      plans.push({ from: `${from}/rss`, to: feedOf(to) });
    }
  }
  return plans;
}
