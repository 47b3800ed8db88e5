import type { Kysely } from 'kysely';
import { findPersonBySlug } from '../authors/person.service.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events.js';
import { findSectionBySlug } from '../sections/section.service.js';
import { findTagBySlug } from '../tags/tag.service.js';
import { toSlug } from '../text/slug.js';
import { type FoundImage, ImportAssets } from './import.assets.js';
import { mediaUrlsIn } from './import.body.js';
import { fingerprintOf } from './import.map.js';
import type { MediaSource } from './import.media.js';
import { openMediaSource, ZIP_LIMITS, type ZipLimits } from './import.media.js';
import { type ImportedPost, type ImportedSite, ImportFormatError, type ImportSource } from './import.model.js';
import { archivePlans, type RedirectPlan } from './import.redirects.js';
import { emptyReport, type ImportReport, pushCapped } from './import.report.js';
import {
  knownOf,
  newSeen,
  type PreparedMedia,
  postFingerprint,
  sectionNameOf,
  skipReason,
  tagTermsOf,
  type WriteOptions,
  writePost,
  writeRedirects,
} from './import.writer.js';

export interface ImportOptions {
  source: ImportSource;
  /**
   * Reads the export. A reader that read the whole file before its posts (`totals`: WordPress) is
   * read once more by the import; otherwise a first pass writes nothing, then the posts are read
   * again (`again`, else a second open).
   */
  open: () => Promise<ImportedSite>;
  /** The uploads: a folder or a zip. */
  media?: string;
  /** Download images not in `media` (where the network allows). */
  fetchMedia?: boolean;
  dryRun?: boolean;
  /** Old category (slug or name) → Gazette section name. */
  sectionMap?: Record<string, string>;
  pages?: 'section' | 'skip';
  /** Where media files are stored (the data folder's media/). */
  mediaRoot: string;
  /** Posts written per transaction. */
  batchSize?: number;
  zipLimits?: ZipLimits;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  now?: Date;
}

/**
 * Posts written per transaction by default: a few hundred keeps the cost of committing (PostgreSQL
 * flushes its log at every commit) small next to the work, while one transaction's writes stay small.
 */
export const BATCH_SIZE = 200;

export interface Tally {
  done: number;
  total: number;
}

export interface ImportProgress {
  phase: 'reading' | 'writing' | 'done';
  articles: Tally;
  comments: Tally;
  media: Tally;
}

/** `a=b,c=d` → { a: 'b', c: 'd' } (keys lower-cased), for `--section-map`. */
export function parseSectionMap(text: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  if (!text) return map;
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    if (at <= 0 || !pair.slice(at + 1).trim())
      throw new ImportFormatError('--section-map', pair.trim(), 'write old=New Section, separated by commas');
    map[pair.slice(0, at).trim().toLowerCase()] = pair.slice(at + 1).trim();
  }
  return map;
}

/**
 * The old site's images a post names: its featured image and the body's images that were uploads
 * of the site (relative, under its address, or in an uploads folder). Images of other hosts are
 * not the site's media: they stay links.
 */
function imagesOf(post: ImportedPost, siteUrl?: string): string[] {
  let host: string | undefined;
  try {
    host = siteUrl ? new URL(siteUrl).host : undefined;
  } catch {
    host = undefined;
  }
  const own = (url: string) => {
    if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) || /\/(wp-content\/uploads|content\/images)\//.test(url)) return true;
    try {
      return new URL(url).host === host;
    } catch {
      return false;
    }
  };
  return [...(post.featuredImage ? [post.featuredImage.url] : []), ...mediaUrlsIn(post.html).filter(own)];
}

/**
 * A pass that writes nothing: reads the whole export (a malformed one fails here, before anything
 * is written) and says what an import would do. This is `--dry-run`, and the first pass of an
 * import whose reader did not read the whole file itself (no `totals`).
 */
async function survey(
  db: Kysely<Database>,
  o: ImportOptions,
  w: WriteOptions,
  mediaSource: MediaSource | undefined,
  site: ImportedSite,
): Promise<{ report: ImportReport; totals: ImportProgress }> {
  const report = emptyReport(o.source, true);
  const assets = new ImportAssets(db, { source: o.source, media: mediaSource, fetch: false, mediaRoot: o.mediaRoot, report, dryRun: true });
  const totals: ImportProgress = {
    phase: 'reading',
    articles: { done: 0, total: 0 },
    comments: { done: 0, total: 0 },
    media: { done: 0, total: 0 },
  };
  const sections = new Set<string>();
  const people = new Set<string>();
  const tags = new Set<string>();
  const media = new Set<string>();
  let chunk: ImportedPost[] = [];
  const look = async () => {
    const posts = chunk;
    chunk = [];
    const known = await knownOf(db, o.source, posts);
    for (const post of posts) {
      const keys: string[] = [];
      for (const url of imagesOf(post, site.siteUrl)) {
        media.add(url);
        const found = await assets.find(url, `${post.kind} ${post.sourceId}`);
        if (found) keys.push(found.key);
      }
      const mapped = known[post.kind].get(post.sourceId);
      if (!mapped) report.counts[post.kind].imported++;
      else report.counts[post.kind][mapped.fingerprint === postFingerprint(post, sectionNameOf(post, w), keys) ? 'unchanged' : 'updated']++;
      for (const c of post.comments) {
        const before = known.comment.get(c.sourceId);
        report.counts.comment[!before ? 'imported' : before.fingerprint === fingerprintOf(c) ? 'unchanged' : 'updated']++;
      }
      const sectionSlug = toSlug(sectionNameOf(post, w));
      if (!sections.has(sectionSlug) && !(await findSectionBySlug(db, sectionSlug))) report.created.sections++;
      sections.add(sectionSlug);
      for (const a of post.authors) {
        const slug = toSlug(a.name);
        if (a.name.trim() && !people.has(slug) && !(await findPersonBySlug(db, slug))) report.created.people++;
        people.add(slug);
      }
      for (const t of tagTermsOf(post)) {
        const slug = toSlug(t.name);
        if (!tags.has(slug) && !(await findTagBySlug(db, slug))) report.created.tags++;
        tags.add(slug);
      }
      if (post.status === 'published') report.redirects += post.oldUrls.filter((u) => !u.includes('?')).length;
    }
  };
  for await (const post of site.posts) {
    const why = skipReason(post, w);
    if (why) {
      report.counts[post.kind].skipped++;
      pushCapped(report.skipped, { kind: post.kind, where: `${post.kind} ${post.sourceId} "${post.title}"`, why });
      continue;
    }
    totals.articles.total++;
    totals.comments.total += post.comments.length;
    chunk.push(post);
    if (chunk.length >= BATCH_SIZE) await look();
  }
  await look();
  totals.media.total = media.size;
  report.warnings.push(...site.warnings.slice(0, 500));
  return { report, totals };
}

/**
 * Imports an export: all of it is read before anything is written — by the reader's own first
 * pass when it has one (it then gives `totals`), else by a pass here that writes nothing (and is
 * all a dry run does); then posts are written in batches, each batch one transaction through the one article writer,
 * followed by the redirects of the old listing addresses and an `import.finished` event.
 */
export async function runImport(db: Kysely<Database>, o: ImportOptions): Promise<ImportReport> {
  const now = o.now ?? new Date();
  const w: WriteOptions = { source: o.source, sectionMap: o.sectionMap ?? {}, pages: o.pages ?? 'section' };
  const mediaSource = o.media ? await openMediaSource(o.media, o.zipLimits ?? ZIP_LIMITS) : undefined;
  try {
    const opened = await o.open();
    if (!o.dryRun && opened.totals) {
      // The reader has read the whole file already (a malformed one failed there, before anything is
      // written) and counted its posts and comments: no need for a first pass of our own.
      const progress: ImportProgress = {
        phase: 'reading',
        articles: { done: 0, total: opened.totals.posts },
        comments: { done: 0, total: opened.totals.comments },
        media: { done: 0, total: 0 },
      };
      await o.onProgress?.(progress);
      return await writeAll(db, o, w, mediaSource, opened, progress, now);
    }
    const first = await survey(db, o, w, mediaSource, opened);
    const progress = first.totals;
    await o.onProgress?.(progress);
    if (o.dryRun) return first.report;
    const site = opened.again ? { ...opened, posts: opened.again() } : await o.open();
    return await writeAll(db, o, w, mediaSource, site, progress, now);
  } finally {
    mediaSource?.close();
  }
}

async function writeAll(
  db: Kysely<Database>,
  o: ImportOptions,
  w: WriteOptions,
  mediaSource: MediaSource | undefined,
  site: ImportedSite,
  progress: ImportProgress,
  now: Date,
): Promise<ImportReport> {
  const report = emptyReport(o.source, false);
  const assets = new ImportAssets(db, {
    source: o.source,
    media: mediaSource,
    fetch: !!o.fetchMedia,
    mediaRoot: o.mediaRoot,
    report,
    dryRun: false,
  });
  w.siteUrl = site.siteUrl;
  const seen = newSeen();
  const batchSize = Math.max(1, o.batchSize ?? BATCH_SIZE);
  const mediaSeen = new Set<string>();
  progress.phase = 'writing';
  let batch: { post: ImportedPost; found: Map<string, FoundImage> }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const items = batch;
    batch = [];
    await db.transaction().execute(async (trx) => {
      const redirects: RedirectPlan[] = [];
      const known = await knownOf(
        trx,
        o.source,
        items.map((i) => i.post),
      );
      for (const { post, found } of items) {
        const urls = new Map<string, string>();
        for (const [url, f] of found) urls.set(url, f.url);
        const heroFound = post.featuredImage ? found.get(post.featuredImage.url) : undefined;
        const hero = post.featuredImage;
        const media: PreparedMedia = {
          keys: [...found.values()].map((f) => f.key),
          heroMediaId: heroFound
            ? await assets.store(trx, heroFound, { alt: hero?.alt, caption: hero?.caption, credit: hero?.credit })
            : null,
          urls,
        };
        for (const f of found.values()) if (f !== heroFound) await assets.store(trx, f);
        const result = await writePost(trx, { post, media, opts: w, seen, report, redirects, now, known });
        progress.articles.done++;
        progress.comments.done += result.comments;
      }
      await writeRedirects(trx, redirects, report, now);
    });
    await o.onProgress?.(progress);
  };
  for await (const post of site.posts) {
    const why = skipReason(post, w);
    if (why) {
      report.counts[post.kind].skipped++;
      pushCapped(report.skipped, { kind: post.kind, where: `${post.kind} ${post.sourceId} "${post.title}"`, why });
      continue;
    }
    const found = new Map<string, FoundImage>();
    for (const url of imagesOf(post, site.siteUrl)) {
      const f = await assets.find(url, `${post.kind} ${post.sourceId}`);
      if (f) found.set(url, f);
      if (!mediaSeen.has(url)) {
        mediaSeen.add(url);
        progress.media.done++;
        // Without a first pass, the images are counted as they are met.
        progress.media.total = Math.max(progress.media.total, progress.media.done);
      }
    }
    batch.push({ post, found });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // A streaming reader adds its warnings while it reads.
  report.warnings.push(...site.warnings.slice(0, 500));
  await db.transaction().execute(async (trx) => {
    await writeRedirects(
      trx,
      archivePlans({ source: o.source, categories: site.categories, tags: site.tags, archives: seen.archives }),
      report,
      now,
    );
    await recordEvent(trx, 'import.finished', null, {
      source: o.source,
      articles: report.counts.post.imported + report.counts.page.imported,
      updated: report.counts.post.updated + report.counts.page.updated,
      comments: report.counts.comment.imported,
      redirects: report.redirects,
    });
  });
  progress.phase = 'done';
  // Skipped posts (trash, pages left out) were in the reader's totals: the bars end full.
  progress.articles.total = progress.articles.done;
  progress.comments.total = progress.comments.done;
  await o.onProgress?.(progress);
  return report;
}
