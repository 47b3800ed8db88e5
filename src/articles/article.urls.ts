import type { Cursor } from './listing.repo.js';
import type { PageAt } from './listing.service.js';

/** Every URL path an article and its neighbours live at. One place, so no handler builds these by hand. */
export const articleUrl = (a: { slug: string; section: { slug: string } }) => `/${a.section.slug}/${a.slug}`;
export const sectionUrl = (s: { slug: string }) => `/${s.slug}`;
export const authorUrl = (p: { slug: string }) => `/author/${p.slug}`;
export const tagUrl = (t: { slug: string }) => `/tag/${t.slug}`;
export const commentsUrl = (a: { slug: string; section: { slug: string } }) => `${articleUrl(a)}/comments`;
export const mediaUrl = (path: string) => `/media/${path}`;

/** The page paths that show an article (used to purge caches when it changes). */
export function pagesShowing(a: {
  slug: string;
  section: { slug: string };
  authors: { slug: string }[];
  tags: { slug: string }[];
}): string[] {
  return ['/', articleUrl(a), sectionUrl(a.section), ...a.authors.map(authorUrl), ...a.tags.map(tagUrl)];
}

/** A listing page's address: the list's own for the first page, else `?page=N`, `?before=` or `?after=` a cursor. */
export function listingUrl(base: string, at: PageAt): string {
  if ('before' in at) return `${base}?before=${cursorParam(at.before)}`;
  if ('after' in at) return `${base}?after=${cursorParam(at.after)}`;
  return at.page > 1 ? `${base}?page=${at.page}` : base;
}

/** A cursor in an address: `2026-11-30T09:00:00.000Z_123` (publication time, article id). */
export function cursorParam(c: Cursor): string {
  return `${encodeURIComponent(c.publishedAt).replaceAll('%3A', ':')}_${c.id}`;
}
