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
