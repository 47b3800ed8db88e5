import type { ArticleStatus } from '../articles/article.table.js';
import { articleUrl } from '../articles/article.urls.js';
import { storeArticle } from '../articles/article.writer.js';
import { ensurePerson, findPersonBySlug } from '../authors/person.service.js';
import { type CommentToStore, commentText, recordImportedComments, storeImportedComments } from '../comments/comment.import.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { ensureSection, findSectionBySlug, RESERVED_SECTION_SLUGS } from '../sections/section.service.js';
import { ensureTag, findTagBySlug } from '../tags/tag.service.js';
import { toSlug } from '../text/slug.js';
import { bodyFromHtml, rewriteMedia } from './import.body.js';
import { findMapped, fingerprintOf, type Mapped, remember, rememberMany } from './import.map.js';
import type { ImportedComment, ImportedPost, ImportedTerm, ImportSource } from './import.model.js';
import { oldPathOf, type RedirectPlan } from './import.redirects.js';
import { type ImportReport, pushCapped } from './import.report.js';

/** How the user wants the site carried over. */
export interface WriteOptions {
  source: ImportSource;
  /** Old category (slug or name, lower-cased) → the name of the Gazette section it goes to. */
  sectionMap: Record<string, string>;
  pages: 'section' | 'skip';
  /** The old site's address: links to it are its own pages. */
  siteUrl?: string;
}

/** Sections, people and tags seen so far in this run (by slug), to create each once and count it. */
export interface Seen {
  sections: Map<string, number>;
  people: Map<string, number>;
  tags: Map<string, number>;
  /** Old category or tag → where its archive now lives. */
  archives: Map<string, string>;
}

export const newSeen = (): Seen => ({ sections: new Map(), people: new Map(), tags: new Map(), archives: new Map() });

export const DEFAULT_SECTION = 'News';
export const PAGES_SECTION = 'Pages';

/** Why a post is left out, or undefined to import it. */
export function skipReason(post: ImportedPost, opts: WriteOptions): string | undefined {
  if (post.status === 'trash') return 'in the trash';
  if (post.kind === 'page' && opts.pages === 'skip') return 'pages are skipped (--pages skip)';
  if (!post.title.trim() && !post.html.trim()) return 'no title and no content';
  return undefined;
}

/** The section a post belongs to: pages to "Pages", else the (mapped) primary category, else "News". */
export function sectionNameOf(post: ImportedPost, opts: WriteOptions): string {
  if (post.kind === 'page') return PAGES_SECTION;
  const primary = post.categories[0];
  if (!primary) return DEFAULT_SECTION;
  const mapped = opts.sectionMap[primary.slug.toLowerCase()] ?? opts.sectionMap[primary.name.toLowerCase()];
  const name = (mapped ?? primary.name).trim() || DEFAULT_SECTION;
  // A category named like a page of the site itself ("Search", "Media") would hide it.
  return RESERVED_SECTION_SLUGS.has(toSlug(name)) ? `${name} articles` : name;
}

/** The tags a post gets: its other categories and its tags, once each. */
export function tagTermsOf(post: ImportedPost): ImportedTerm[] {
  const terms = [...(post.kind === 'page' ? post.categories : post.categories.slice(1)), ...post.tags];
  const seen = new Set<string>();
  return terms.filter((t) => {
    const slug = toSlug(t.name);
    if (!t.name.trim() || seen.has(slug)) return false;
    seen.add(slug);
    return true;
  });
}

/** Status and publication time in Gazette: private posts become drafts (never public); pending ones wait in review. */
export function statusOf(post: ImportedPost, now: Date): { status: ArticleStatus; publishedAt: string | null } {
  const at = post.publishedAt ?? post.createdAt;
  switch (post.status) {
    case 'published':
      return { status: 'published', publishedAt: at ?? now.toISOString() };
    case 'scheduled':
      return post.publishedAt ? { status: 'scheduled', publishedAt: post.publishedAt } : { status: 'draft', publishedAt: null };
    case 'pending':
      return { status: 'in_review', publishedAt: null };
    default:
      return { status: 'draft', publishedAt: null };
  }
}

/** What decides whether a post imported before has changed: its content, its section and the images found for it. */
export function postFingerprint(post: ImportedPost, sectionName: string, mediaKeys: string[]): string {
  const { comments: _comments, ...content } = post;
  return fingerprintOf({ content, sectionName, media: [...new Set(mediaKeys)].sort() });
}

export interface PreparedMedia {
  /** The keys of the images found (part of the post's fingerprint). */
  keys: string[];
  /** The hero's media id, when the featured image was found. */
  heroMediaId: number | null;
  /** Old image URL → new /media URL. */
  urls: Map<string, string>;
}

/** What earlier imports made of some posts (pages) and their comments, by source id. */
export interface Known {
  post: Map<string, Mapped>;
  page: Map<string, Mapped>;
  comment: Map<string, Mapped>;
}

/** Looks up a batch of posts and their comments in the import map: three queries (per 500 ids) instead of two per post. */
export async function knownOf(db: Executor, source: ImportSource, posts: ImportedPost[]): Promise<Known> {
  const ids = (kind: 'post' | 'page') => posts.filter((p) => p.kind === kind).map((p) => p.sourceId);
  return {
    post: await findMapped(db, source, 'post', ids('post')),
    page: await findMapped(db, source, 'page', ids('page')),
    comment: await findMapped(
      db,
      source,
      'comment',
      posts.flatMap((p) => p.comments.map((c) => c.sourceId)),
    ),
  };
}

/** Comments in an order where every reply comes after the comment it answers. */
export function threadOrder(comments: ImportedComment[]): ImportedComment[] {
  const ids = new Set(comments.map((c) => c.sourceId));
  const placed = new Set<string>();
  const out: ImportedComment[] = [];
  let rest = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  while (rest.length) {
    const next = rest.filter((c) => !c.parentId || !ids.has(c.parentId) || placed.has(c.parentId));
    // A cycle of replies (a broken export): the rest are taken as they are.
    const take = next.length ? next : rest;
    for (const c of take) {
      out.push(c);
      placed.add(c.sourceId);
    }
    rest = rest.filter((c) => !placed.has(c.sourceId));
  }
  return out;
}

async function sectionFor(trx: Executor, name: string, seen: Seen, report: ImportReport) {
  const slug = toSlug(name);
  const known = seen.sections.get(slug);
  if (known !== undefined) return { id: known, slug };
  const before = await findSectionBySlug(trx, slug);
  const section = before ?? (await ensureSection(trx, { name }));
  if (!before) report.created.sections++;
  seen.sections.set(slug, section.id);
  return { id: section.id, slug: section.slug };
}

async function personFor(trx: Executor, p: { name: string; bio?: string }, seen: Seen, report: ImportReport): Promise<number> {
  const slug = toSlug(p.name);
  const known = seen.people.get(slug);
  if (known !== undefined) return known;
  const before = await findPersonBySlug(trx, slug);
  const person = await ensurePerson(trx, { name: p.name, bio: p.bio || undefined });
  if (!before) report.created.people++;
  seen.people.set(slug, person.id);
  return person.id;
}

async function tagFor(trx: Executor, name: string, seen: Seen, report: ImportReport): Promise<number> {
  const slug = toSlug(name);
  const known = seen.tags.get(slug);
  if (known !== undefined) return known;
  const before = await findTagBySlug(trx, slug);
  const tag = before ?? (await ensureTag(trx, name));
  if (!before) report.created.tags++;
  seen.tags.set(slug, tag.id);
  return tag.id;
}

/** A slug no other article has (an imported post keeps its own when it can). */
async function freeSlug(trx: Executor, wanted: string, ownId: number | undefined): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? wanted : `${wanted.slice(0, 110)}-${n}`;
    const taken = await trx.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!taken || taken.id === ownId) return slug;
  }
}

/**
 * Writes one post in the caller's transaction through the one article writer: section, byline,
 * tags, hero, body (images pointed at their new addresses), status and dates, then its comments
 * with their threads, and the redirects from its old addresses. A post imported before is updated
 * (a new revision) when it changed, and left alone when it did not.
 */
export async function writePost(
  trx: Executor,
  input: {
    post: ImportedPost;
    media: PreparedMedia;
    opts: WriteOptions;
    seen: Seen;
    report: ImportReport;
    redirects: RedirectPlan[];
    now: Date;
    /** What earlier imports made of this batch's posts and comments, looked up once for the batch (kept up to date here). */
    known?: Known;
  },
): Promise<{ articleId: number; comments: number }> {
  const { post, opts, seen, report, now } = input;
  const kind = post.kind;
  const nowIso = now.toISOString();
  const sectionName = sectionNameOf(post, opts);
  const fingerprint = postFingerprint(post, sectionName, input.media.keys);
  const known = input.known ?? (await knownOf(trx, opts.source, [post]));
  const mapped = known[kind].get(post.sourceId);
  const current = mapped ? await trx.selectFrom('articles').selectAll().where('id', '=', mapped.targetId).executeTakeFirst() : undefined;
  const section = await sectionFor(trx, sectionName, seen, report);
  if (kind === 'post' && post.categories[0]) seen.archives.set(`category:${post.categories[0].slug}`, `/${section.slug}`);
  let articleId: number;
  let articleSlug: string;
  if (current && mapped?.fingerprint === fingerprint) {
    report.counts[kind].unchanged++;
    articleId = current.id;
    articleSlug = current.slug;
  } else {
    const authorIds: number[] = [];
    for (const a of post.authors) {
      if (!a.name.trim()) continue;
      authorIds.push(await personFor(trx, a, seen, report));
      if (a.slug) seen.archives.set(`author:${a.slug}`, `/author/${toSlug(a.name)}`);
    }
    const tagIds: number[] = [];
    for (const t of tagTermsOf(post)) {
      const id = await tagFor(trx, t.name, seen, report);
      tagIds.push(id);
      const isCategory = post.categories.some((c) => c.sourceId === t.sourceId && c.slug === t.slug);
      const key = `${isCategory ? 'category' : 'tag'}:${t.slug}`;
      if (!seen.archives.has(key)) seen.archives.set(key, `/tag/${toSlug(t.name)}`);
    }
    const { status, publishedAt } = statusOf(post, now);
    const slug = await freeSlug(trx, toSlug(post.slug || post.title), current?.id);
    const hero = post.featuredImage;
    const html = rewriteMedia(post.html, (url) => input.media.urls.get(url));
    const updatedAt =
      post.updatedAt && publishedAt && Date.parse(post.updatedAt) - Date.parse(publishedAt) > 60_000 ? post.updatedAt : null;
    const stored = await storeArticle(
      trx,
      {
        current,
        values: {
          slug,
          sectionId: section.id,
          headline: post.title.trim() || '(untitled)',
          standfirst: post.excerpt ? commentText(post.excerpt).replace(/\s+/g, ' ') : '',
          bodyMd: bodyFromHtml(html),
          status,
          publishedAt,
          commentsOpen: post.commentsOpen ?? true,
          heroMediaId: input.media.heroMediaId,
          heroAlt: input.media.heroMediaId ? (hero?.alt ?? '') : '',
          heroCaption: input.media.heroMediaId ? commentText(hero?.caption ?? '') : '',
          heroCredit: input.media.heroMediaId ? (hero?.credit ?? '') : '',
        },
        authorIds,
        tagIds,
        now,
        note: current ? 'Imported again (changed at the source)' : `Imported from ${opts.source === 'wordpress' ? 'WordPress' : 'Ghost'}`,
        kept: current ? undefined : { createdAt: post.createdAt ?? publishedAt ?? nowIso, updatedAt },
      },
      { kind: 'import' },
    );
    articleId = stored.id;
    articleSlug = stored.slug;
    report.counts[kind][current ? 'updated' : 'imported']++;
    await remember(trx, { source: opts.source, kind, sourceId: post.sourceId, targetId: articleId, fingerprint, now: nowIso });
    known[kind].set(post.sourceId, { targetId: articleId, fingerprint });
    if (status === 'published') {
      const to = articleUrl({ slug: articleSlug, section });
      for (const url of post.oldUrls) {
        const from = oldPathOf(url, opts.siteUrl);
        // `/?p=ID` of this very post is answered from the import map (import.shortlinks.ts).
        if (from && opts.source === 'wordpress' && /^\/(index\.php)?\?(p|page_id)=(\d+)$/.exec(from)?.[3] === post.sourceId) continue;
        if (from && from !== to) input.redirects.push({ from, to, articleId });
      }
    }
    if (post.sticky)
      pushCapped(report.warnings, {
        where: `${kind} ${post.sourceId}`,
        message: 'was sticky (pinned) on the old site: pin it on the front page by hand',
      });
  }
  const count = await writeComments(trx, {
    articleId,
    url: articleUrl({ slug: articleSlug, section }),
    post,
    opts,
    report,
    now: nowIso,
    known: known.comment,
  });
  return { articleId, comments: count };
}

async function writeComments(
  trx: Executor,
  input: {
    articleId: number;
    url: string;
    post: ImportedPost;
    opts: WriteOptions;
    report: ImportReport;
    now: string;
    known: Map<string, Mapped>;
  },
): Promise<number> {
  const { post, report, opts, known } = input;
  if (!post.comments.length) return 0;
  const items: CommentToStore[] = [];
  const fingerprints = new Map<string, string>();
  const inList = new Set(post.comments.map((c) => c.sourceId));
  for (const c of threadOrder(post.comments)) {
    const fingerprint = fingerprintOf(c);
    const before = known.get(c.sourceId);
    if (before?.fingerprint === fingerprint) {
      report.counts.comment.unchanged++;
      continue;
    }
    fingerprints.set(c.sourceId, fingerprint);
    const parentInRun = c.parentId && fingerprints.has(c.parentId) ? c.parentId : undefined;
    items.push({
      key: c.sourceId,
      parentKey: parentInRun,
      parentId: !parentInRun && c.parentId && inList.has(c.parentId) ? known.get(c.parentId)?.targetId : undefined,
      existingId: before?.targetId,
      comment: { name: c.authorName, email: c.authorEmail, body: c.body, status: c.status, createdAt: c.createdAt },
    });
  }
  const stored = await storeImportedComments(trx, { articleId: input.articleId, items, now: input.now });
  let lastApproved: number | undefined;
  let lastPending: number | undefined;
  let written = 0;
  const mapped: { sourceId: string; targetId: number; fingerprint: string }[] = [];
  for (const c of post.comments) {
    if (!stored.has(c.sourceId)) continue;
    const id = stored.get(c.sourceId);
    if (id === undefined) {
      report.counts.comment.skipped++;
      pushCapped(report.skipped, { kind: 'comment', where: `comment ${c.sourceId}`, why: 'empty once its markup was removed' });
      continue;
    }
    written++;
    report.counts.comment[known.has(c.sourceId) ? 'updated' : 'imported']++;
    if (c.status === 'approved') lastApproved = id;
    if (c.status === 'pending') lastPending = id;
    mapped.push({ sourceId: c.sourceId, targetId: id, fingerprint: fingerprints.get(c.sourceId) as string });
  }
  await rememberMany(trx, { source: opts.source, kind: 'comment', rows: mapped, now: input.now });
  for (const m of mapped) known.set(m.sourceId, { targetId: m.targetId, fingerprint: m.fingerprint });
  await recordImportedComments(trx, { articleId: input.articleId, url: input.url, lastApproved, lastPending, count: written });
  return post.comments.length;
}

/** Adds the planned redirects in the caller's transaction; an address that cannot redirect is reported, not fatal. */
export async function writeRedirects(trx: Executor, plans: RedirectPlan[], report: ImportReport, now: Date) {
  const { addRedirect } = await import('../redirects/redirect.service.js');
  for (const plan of plans) {
    if (plan.from.includes('?')) {
      // Only the post's own short link (`/?p=ID`) is answered; another query address is the front page's.
      pushCapped(report.redirectsSkipped, { from: plan.from, why: "a query-string address that is not the post's own short link" });
      continue;
    }
    try {
      await addRedirect(trx, { from: plan.from, to: plan.to, articleId: plan.articleId ?? null, replace: true, now });
      report.redirects++;
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      pushCapped(report.redirectsSkipped, { from: plan.from, why: error.message });
    }
  }
}
