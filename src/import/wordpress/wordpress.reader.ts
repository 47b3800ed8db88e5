import { basename } from 'node:path';
import { toSlug } from '../../text/slug.js';
import type { ImportedPerson, ImportedPost, ImportedSite, ImportedTerm, ImportWarning } from '../import.model.js';
import { ImportFormatError } from '../import.model.js';
import { plainText } from './wordpress.content.js';
import { type Attachment, isComment, type ReadContext, rememberAttachment, rememberGuestAuthor } from './wordpress.items.js';
import { toPost } from './wordpress.post.js';
import { type ChannelEntry, channelEntries, childText, type XmlNode } from './wordpress.xml.js';

export interface WordPressReadOptions {
  /** The old site's address, when the export's own (`<link>`) is not the public one (e.g. exported from staging). */
  baseUrl?: string;
  /** The site's time zone (IANA name, e.g. "Europe/Berlin"), for dates the export gives only in local time. Default UTC. */
  timeZone?: string;
  /**
   * Read the whole file once before the posts (default true): featured images and galleries whose
   * attachment comes later in the file are found, totals are known, and a malformed file fails before
   * the first post. With false, the posts stream in one pass and only attachments met earlier resolve.
   */
  prescan?: boolean;
  /** Progress of the pass that yields the posts: bytes read and the file's size. */
  onProgress?: (read: number, total: number) => void;
}

const WXR_VERSIONS = new Set(['1.0', '1.1', '1.2']);
/** Text the prescan does not need (it only looks at attachments, post types and counts). */
const PRESCAN_SKIP = new Set(['wp:comment_content', 'title', 'description', 'link', 'guid', 'dc:creator']);
/** Reusable blocks kept for the posts pass: a bound on their number and total size keeps memory bounded. */
const REUSABLE_MAX = { count: 2000, chars: 16 * 2 ** 20 };

/**
 * Reads a WordPress export (WXR 1.0–1.2) as a stream: the channel's header first, then one post or
 * page at a time. Memory follows the largest single item plus a small map of attachments
 * (id → URL, alt, caption), never the whole file.
 */
export async function readWordPress(file: string, options: WordPressReadOptions = {}): Promise<ImportedSite> {
  const timeZone = options.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin or America/New_York.`);
  }
  const name = basename(file);
  const warnings: ImportWarning[] = [];
  const people = new Map<string, ImportedPerson>();
  const categories = new Map<string, ImportedTerm>();
  const tags = new Map<string, ImportedTerm>();
  const termIds = new Map<string, string>();
  let siteLink = '';
  let baseSiteUrl = '';
  let version = '';

  for await (const entry of channelEntries(file)) {
    if (entry.item) break;
    const { node } = entry;
    switch (node.name) {
      case 'link':
        siteLink = node.text.trim();
        break;
      case 'wp:base_site_url':
        baseSiteUrl = node.text.trim();
        break;
      case 'wp:wxr_version':
        version = node.text.trim();
        break;
      case 'wp:author': {
        const person = authorOf(node);
        if (person) people.set(person.sourceId, person);
        break;
      }
      case 'wp:category':
        addTerm(
          categories,
          termIds,
          childText(node, 'wp:term_id'),
          childText(node, 'wp:category_nicename'),
          childText(node, 'wp:cat_name'),
          {
            parent: childText(node, 'wp:category_parent'),
            description: childText(node, 'wp:category_description'),
          },
        );
        break;
      case 'wp:tag':
        addTerm(tags, termIds, childText(node, 'wp:term_id'), childText(node, 'wp:tag_slug'), childText(node, 'wp:tag_name'), {
          description: childText(node, 'wp:tag_description'),
        });
        break;
      case 'wp:term': {
        const taxonomy = childText(node, 'wp:term_taxonomy').trim();
        const target = taxonomy === 'category' ? categories : taxonomy === 'post_tag' ? tags : undefined;
        if (target) {
          addTerm(target, termIds, childText(node, 'wp:term_id'), childText(node, 'wp:term_slug'), childText(node, 'wp:term_name'), {
            parent: childText(node, 'wp:term_parent'),
            description: childText(node, 'wp:term_description'),
          });
        }
        break;
      }
    }
  }
  if (!version) throw new ImportFormatError(name, '<wp:wxr_version>', 'not a WordPress export: the channel has no WXR version');
  if (!WXR_VERSIONS.has(version)) {
    warnings.push({ where: '<wp:wxr_version>', message: `WXR version ${version} is newer than 1.2: read as 1.2` });
  }

  const siteUrl = (options.baseUrl || siteLink || baseSiteUrl).replace(/\/+$/, '') || undefined;
  const attachments = new Map<string, Attachment>();
  const guestAuthors = new Map<string, ImportedPerson>();
  const reusable = new Map<string, string>();
  const totals = { posts: 0, comments: 0 };
  const prescan = options.prescan !== false;
  if (prescan) {
    for await (const entry of channelEntries(file, { skipText: PRESCAN_SKIP })) {
      if (!entry.item) continue;
      const type = childText(entry.node, 'wp:post_type').trim();
      if (type === 'attachment') rememberAttachment(attachments, entry.node);
      else if (type === 'guest-author') rememberGuestAuthor(guestAuthors, entry.node);
      else if (type === 'wp_block') rememberReusable(reusable, entry.node, warnings);
      else if (
        (type === 'post' || type === 'page') &&
        childText(entry.node, 'wp:post_id').trim() &&
        childText(entry.node, 'wp:status').trim() !== 'auto-draft'
      ) {
        totals.posts++;
        for (const child of entry.node.children) if (isComment(child)) totals.comments++;
      }
    }
    for (const guest of guestAuthors.values()) if (!people.has(guest.sourceId)) people.set(guest.sourceId, guest);
  }

  const ctx: ReadContext = { file: name, siteUrl, timeZone, people, guestAuthors, termIds, warnings, reusable };
  const site: ImportedSite = {
    source: 'wordpress',
    siteUrl,
    people: [...people.values()],
    categories: [...categories.values()],
    tags: [...tags.values()],
    posts: posts(file, ctx, attachments, prescan, options.onProgress),
    warnings,
  };
  const before = warnings.length;
  site.again = () => {
    warnings.length = before;
    return posts(file, ctx, attachments, prescan, options.onProgress);
  };
  if (prescan) site.totals = totals;
  return site;
}

function authorOf(node: XmlNode): ImportedPerson | undefined {
  const login = childText(node, 'wp:author_login').trim();
  if (!login) return undefined;
  const display = plainText(childText(node, 'wp:author_display_name'));
  const full = [childText(node, 'wp:author_first_name'), childText(node, 'wp:author_last_name')]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
  const email = childText(node, 'wp:author_email').trim();
  return { sourceId: login, name: display || full || login, slug: toSlug(login), ...(email ? { email } : {}) };
}

function addTerm(
  into: Map<string, ImportedTerm>,
  termIds: Map<string, string>,
  id: string,
  rawSlug: string,
  rawName: string,
  extra: { parent?: string; description?: string },
): void {
  const name = plainText(rawName);
  const slug = rawSlug.trim() || toSlug(name);
  if (!slug) return;
  if (id.trim()) termIds.set(id.trim(), slug);
  if (into.has(slug)) return;
  const term: ImportedTerm = { sourceId: slug, name: name || slug, slug };
  const description = plainText(extra.description ?? '');
  if (description) term.description = description;
  if (extra.parent?.trim()) term.parentId = extra.parent.trim();
  into.set(slug, term);
}

async function* posts(
  file: string,
  ctx: ReadContext,
  attachments: Map<string, Attachment>,
  prescanned: boolean,
  onProgress?: (read: number, total: number) => void,
): AsyncGenerator<ImportedPost> {
  const skipped = new Map<string, number>();
  const entries: AsyncIterable<ChannelEntry> = channelEntries(file, { onBytes: onProgress });
  for await (const entry of entries) {
    if (!entry.item) continue;
    const type = childText(entry.node, 'wp:post_type').trim() || 'post';
    if (type === 'attachment') {
      if (!prescanned) rememberAttachment(attachments, entry.node);
      continue;
    }
    if (type === 'guest-author') continue;
    if (type === 'wp_block') {
      if (!prescanned) rememberReusable(ctx.reusable, entry.node, ctx.warnings);
      continue;
    }
    if (type !== 'post' && type !== 'page') {
      skipped.set(type, (skipped.get(type) ?? 0) + 1);
      continue;
    }
    if (!childText(entry.node, 'wp:post_id').trim()) {
      // Without its id a post cannot be matched on a second run, nor its ?p= address kept.
      skipped.set(`${type} without a wp:post_id`, (skipped.get(`${type} without a wp:post_id`) ?? 0) + 1);
      continue;
    }
    const status = childText(entry.node, 'wp:status').trim();
    if (status === 'auto-draft') {
      skipped.set('auto-draft', (skipped.get('auto-draft') ?? 0) + 1);
      continue;
    }
    yield toPost(entry.node, type, ctx, attachments);
  }
  for (const [type, count] of skipped) {
    ctx.warnings.push({ where: 'export', message: `skipped ${count} item${count === 1 ? '' : 's'} of type ${type}` });
  }
}

const reusableChars = new WeakMap<Map<string, string>, number>();

function rememberReusable(into: Map<string, string>, node: XmlNode, warnings: ImportWarning[]): void {
  const id = childText(node, 'wp:post_id').trim();
  const content = childText(node, 'content:encoded');
  if (!id) return;
  const chars = reusableChars.get(into) ?? 0;
  if (into.size >= REUSABLE_MAX.count || chars + content.length > REUSABLE_MAX.chars) {
    warnings.push({ where: id, message: 'too many reusable blocks in the export: this one is left out where it is used' });
    return;
  }
  reusableChars.set(into, chars + content.length);
  into.set(id, content);
}
