import { toSlug } from '../../text/slug.js';
import type { ImportedImage, ImportedPerson, ImportedPost } from '../import.model.js';
import { convertContent, plainText } from './wordpress.content.js';
import { type Attachment, mapComments, meta, type ReadContext, wpDate } from './wordpress.items.js';
import { childText, type XmlNode } from './wordpress.xml.js';

/** One post or page <item> → the shared import model. */
export function toPost(node: XmlNode, kind: 'post' | 'page', ctx: ReadContext, attachments: Map<string, Attachment>): ImportedPost {
  const sourceId = childText(node, 'wp:post_id').trim();
  const reported = new Set<string>();
  const warn = (message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    ctx.warnings.push({ where: sourceId, message });
  };
  const image = (id: string): ImportedImage | undefined => {
    const a = attachments.get(id);
    return a ? { url: a.url, ...(a.alt ? { alt: a.alt } : {}), ...(a.caption ? { caption: a.caption } : {}) } : undefined;
  };
  const title = plainText(childText(node, 'title'));
  const html = convertContent(childText(node, 'content:encoded'), {
    sourceId,
    attachment: image,
    childAttachments: () => childrenOf(attachments, sourceId).map((id) => image(id)!),
    reusable: (id) => ctx.reusable.get(id),
    warn,
  });
  const rawStatus = childText(node, 'wp:status').trim();
  let status = STATUS[rawStatus];
  if (!status) warn(`status "${rawStatus}" read as draft`);
  // Readers needed a password for it: it is not made public by the move.
  if (childText(node, 'wp:post_password').trim() && (status === 'published' || status === 'scheduled')) {
    status = 'private';
    warn('was password-protected on the old site: imported as private');
  }
  const date = wpDate(childText(node, 'wp:post_date_gmt'), childText(node, 'wp:post_date'), ctx.timeZone);
  const modified = wpDate(childText(node, 'wp:post_modified_gmt'), childText(node, 'wp:post_modified'), ctx.timeZone);
  const post: ImportedPost = {
    sourceId,
    kind,
    title,
    slug: decodeSlug(childText(node, 'wp:post_name')) || toSlug(title || `${kind}-${sourceId}`),
    html,
    status: status ?? 'draft',
    authors: [],
    categories: [],
    tags: [],
    sticky: childText(node, 'wp:is_sticky').trim() === '1',
    commentsOpen: childText(node, 'wp:comment_status').trim() === 'open',
    oldUrls: oldUrls(node, kind, sourceId, ctx.siteUrl),
    comments: mapComments(node, ctx, warn),
  };
  const excerpt = plainText(childText(node, 'excerpt:encoded'));
  if (excerpt) post.excerpt = excerpt;
  if (date) {
    post.createdAt = date;
    if (post.status !== 'draft' && post.status !== 'pending') post.publishedAt = date;
  }
  if (modified) post.updatedAt = modified;
  addTermsAndAuthors(node, post, ctx);
  const thumbnail = meta(node, '_thumbnail_id')?.trim();
  if (thumbnail) {
    const featured = image(thumbnail);
    if (featured) post.featuredImage = featured;
    else warn(`featured image (attachment ${thumbnail}) is not in the export`);
  }
  return post;
}

const childIndexes = new WeakMap<Map<string, Attachment>, { size: number; byParent: Map<string, string[]> }>();

/** The attachments uploaded to a post, by id ([gallery] without ids); the index is built once per map size. */
function childrenOf(attachments: Map<string, Attachment>, parent: string): string[] {
  let index = childIndexes.get(attachments);
  if (!index || index.size !== attachments.size) {
    const byParent = new Map<string, string[]>();
    for (const [id, a] of attachments) {
      if (!a.parent) continue;
      const list = byParent.get(a.parent);
      if (list) list.push(id);
      else byParent.set(a.parent, [id]);
    }
    index = { size: attachments.size, byParent };
    childIndexes.set(attachments, index);
  }
  return index.byParent.get(parent) ?? [];
}

const STATUS: Record<string, ImportedPost['status']> = {
  publish: 'published',
  draft: 'draft',
  pending: 'pending',
  future: 'scheduled',
  private: 'private',
  trash: 'trash',
};

function decodeSlug(raw: string): string {
  // A trashed post's slug gets "__trashed" appended so that its old slug is free again.
  const slug = raw.trim().replace(/__trashed(?:-\d+)?$/, '');
  if (!slug) return '';
  // WordPress stores non-ASCII slugs percent-encoded; they are made ASCII here like any other slug.
  let decoded = slug;
  try {
    decoded = decodeURIComponent(slug);
  } catch {}
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(decoded) ? decoded : toSlug(decoded);
}

function addTermsAndAuthors(node: XmlNode, post: ImportedPost, ctx: ReadContext): void {
  const coAuthors: ImportedPerson[] = [];
  for (const child of node.children) {
    if (child.name !== 'category') continue;
    const domain = child.attrs.domain ?? 'category';
    const name = plainText(child.text);
    const slug = (child.attrs.nicename ?? '').trim() || toSlug(name);
    if (!slug) continue;
    if (domain === 'category' && !post.categories.some((t) => t.slug === slug)) post.categories.push({ sourceId: slug, name, slug });
    else if ((domain === 'post_tag' || domain === 'tag') && !post.tags.some((t) => t.slug === slug))
      post.tags.push({ sourceId: slug, name, slug });
    else if (domain === 'author') {
      // Co-Authors Plus: the term's name is the login; its slug is "cap-" + the author's nicename.
      const login = child.text.trim();
      const person = ctx.people.get(login) ??
        ctx.guestAuthors.get(login) ?? { sourceId: login, name: login, slug: toSlug(slug.replace(/^cap-/, '')) };
      if (!coAuthors.some((p) => p.sourceId === person.sourceId)) coAuthors.push(person);
    }
  }
  // Yoast SEO records the primary category; otherwise the first one listed is.
  const primaryId = meta(node, '_yoast_wpseo_primary_category')?.trim();
  const primarySlug = primaryId ? ctx.termIds.get(primaryId) : undefined;
  const at = primarySlug ? post.categories.findIndex((t) => t.slug === primarySlug) : -1;
  if (at > 0) post.categories.unshift(...post.categories.splice(at, 1));
  if (coAuthors.length) {
    post.authors = coAuthors;
    return;
  }
  const login = childText(node, 'dc:creator').trim();
  if (login) post.authors = [ctx.people.get(login) ?? { sourceId: login, name: login, slug: toSlug(login) }];
}

function pathOf(url: string, siteUrl: string | undefined): string | undefined {
  try {
    const u = new URL(url, siteUrl ? `${siteUrl}/` : 'http://old.invalid/');
    // Browsers send percent-escapes in upper case: stored the same way so the old address matches.
    return `${u.pathname}${u.search}`.replace(/%[0-9a-f]{2}/gi, (hex) => hex.toUpperCase());
  } catch {
    return undefined;
  }
}

/** Every address the post answered at: its permalink, its guid, and WordPress's ?p= / ?page_id= forms. */
function oldUrls(node: XmlNode, kind: 'post' | 'page', id: string, siteUrl: string | undefined): string[] {
  const urls = new Set<string>();
  for (const raw of [childText(node, 'link'), childText(node, 'guid')]) {
    const path = raw.trim() ? pathOf(raw.trim(), siteUrl) : undefined;
    if (path && path !== '/') urls.add(path);
  }
  if (id) {
    urls.add(`/?p=${id}`);
    if (kind === 'page') urls.add(`/?page_id=${id}`);
  }
  return [...urls];
}
