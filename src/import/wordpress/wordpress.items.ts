import { toSlug } from '../../text/slug.js';
import { parseDateTime } from '../../text/time.js';
import type { ImportedComment, ImportedPerson, ImportWarning } from '../import.model.js';
import { commentText, plainText } from './wordpress.content.js';
import { childText, type XmlNode } from './wordpress.xml.js';

/** A media-library item, kept from the attachment's <item> for featured images and galleries. */
export interface Attachment {
  url: string;
  alt?: string;
  caption?: string;
  /** The post it was uploaded to ([gallery] without ids shows these). */
  parent?: string;
}

export interface ReadContext {
  file: string;
  siteUrl?: string;
  timeZone: string;
  people: Map<string, ImportedPerson>;
  guestAuthors: Map<string, ImportedPerson>;
  /** WordPress term ids → slugs (the primary-category meta names an id). */
  termIds: Map<string, string>;
  warnings: ImportWarning[];
  /** Reusable blocks (`wp_block` items) by id, collected by the prescan. */
  reusable: Map<string, string>;
}

const NO_DATE = /^0000-00-00/;
const MYSQL_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** "2024-03-12 07:30:00" read as UTC (the common case, without the cost of a time-zone lookup). */
function utc(text: string): Date | undefined {
  const m = MYSQL_DATE.exec(text);
  if (!m) return parseDateTime(text, 'UTC');
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return d.getUTCDate() === +m[3] && +m[4] < 24 ? d : undefined;
}

/**
 * A WordPress date as ISO UTC: the GMT column when it is set, else the local one read in the
 * site's time zone (WordPress leaves the GMT date of drafts at 0000-00-00 00:00:00).
 */
export function wpDate(gmt: string, local: string, timeZone: string): string | undefined {
  const g = gmt.trim();
  if (g && !NO_DATE.test(g)) {
    const d = utc(g);
    if (d) return d.toISOString();
  }
  const l = local.trim();
  if (l && !NO_DATE.test(l)) return (timeZone === 'UTC' ? utc(l) : parseDateTime(l, timeZone))?.toISOString();
  return undefined;
}

const COMMENT_STATUS: Record<string, ImportedComment['status']> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'rejected',
  'post-trashed': 'rejected',
};

/** A reader's comment (not a pingback or trackback, which are left out). */
export function isComment(node: XmlNode): boolean {
  if (node.name !== 'wp:comment') return false;
  const type = childText(node, 'wp:comment_type').trim();
  return type !== 'pingback' && type !== 'trackback';
}

/** The post's comments, threaded by parent id; pingbacks and trackbacks are counted and left out. */
export function mapComments(item: XmlNode, ctx: ReadContext, warn: (message: string) => void): ImportedComment[] {
  const comments: ImportedComment[] = [];
  let pings = 0;
  for (const node of item.children) {
    if (node.name !== 'wp:comment') continue;
    const type = childText(node, 'wp:comment_type').trim();
    if (type === 'pingback' || type === 'trackback') {
      pings++;
      continue;
    }
    const sourceId = childText(node, 'wp:comment_id').trim();
    if (!sourceId) continue;
    const approved = childText(node, 'wp:comment_approved').trim();
    const status = COMMENT_STATUS[approved];
    if (!status) warn(`comment ${sourceId}: status "${approved}" read as pending`);
    const comment: ImportedComment = {
      sourceId,
      authorName: commentText(childText(node, 'wp:comment_author')).replace(/\s+/g, ' ') || 'Anonymous',
      body: commentText(childText(node, 'wp:comment_content')),
      createdAt:
        wpDate(childText(node, 'wp:comment_date_gmt'), childText(node, 'wp:comment_date'), ctx.timeZone) ?? new Date(0).toISOString(),
      status: status ?? 'pending',
    };
    const parent = childText(node, 'wp:comment_parent').trim();
    if (parent && parent !== '0') comment.parentId = parent;
    const email = childText(node, 'wp:comment_author_email').trim();
    if (email) comment.authorEmail = email;
    const url = childText(node, 'wp:comment_author_url').trim();
    if (url && url !== 'http://') comment.authorUrl = url;
    comments.push(comment);
  }
  if (pings) warn(`${pings} pingback or trackback comment${pings === 1 ? '' : 's'} left out`);
  return comments;
}

export function meta(node: XmlNode, key: string): string | undefined {
  for (const child of node.children) {
    if (child.name === 'wp:postmeta' && childText(child, 'wp:meta_key') === key) return childText(child, 'wp:meta_value');
  }
  return undefined;
}

export function rememberAttachment(into: Map<string, Attachment>, node: XmlNode): void {
  const id = childText(node, 'wp:post_id').trim();
  const url = childText(node, 'wp:attachment_url').trim() || childText(node, 'guid').trim();
  if (!id || !url) return;
  const attachment: Attachment = { url };
  const alt = meta(node, '_wp_attachment_image_alt')?.trim();
  if (alt) attachment.alt = alt;
  // WordPress keeps an image's caption as the attachment's excerpt.
  const caption = plainText(childText(node, 'excerpt:encoded'));
  if (caption) attachment.caption = caption;
  const parent = childText(node, 'wp:post_parent').trim();
  if (parent && parent !== '0') attachment.parent = parent;
  into.set(id, attachment);
}

/** Co-Authors Plus keeps guest authors (people without an account) as posts of their own type. */
export function rememberGuestAuthor(into: Map<string, ImportedPerson>, node: XmlNode): void {
  const login = meta(node, 'cap-user_login')?.trim();
  if (!login) return;
  const name = meta(node, 'cap-display_name')?.trim() || login;
  const email = meta(node, 'cap-user_email')?.trim();
  into.set(login, { sourceId: login, name, slug: toSlug(login), ...(email ? { email } : {}) });
}
