/**
 * What an importer reads from another platform's export, before anything is written: the same
 * shape for WordPress and Ghost, so one writer (`import.service.ts`) stores both. Content is HTML
 * as the source platform would show it (already converted from blocks, shortcodes or Lexical);
 * it is sanitised when stored, like anything else typed into Gazette.
 */

export type ImportSource = 'wordpress' | 'ghost';

export type ImportedStatus = 'published' | 'draft' | 'pending' | 'scheduled' | 'private' | 'trash';

export interface ImportedPerson {
  /** The id (or login/slug) the export gives this person; stable across re-runs. */
  sourceId: string;
  name: string;
  slug?: string;
  email?: string;
  bio?: string;
}

export interface ImportedTerm {
  sourceId: string;
  name: string;
  slug: string;
  description?: string;
  /** WordPress category hierarchy: the parent's sourceId. */
  parentId?: string;
}

export interface ImportedImage {
  /** The URL as written in the export (absolute or relative). */
  url: string;
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface ImportedComment {
  sourceId: string;
  /** The sourceId of the comment replied to, when threaded. */
  parentId?: string;
  authorName: string;
  authorEmail?: string;
  authorUrl?: string;
  body: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  status: 'approved' | 'pending' | 'spam' | 'rejected';
}

export interface ImportedPost {
  sourceId: string;
  kind: 'post' | 'page';
  title: string;
  slug: string;
  /** HTML (converted from the platform's markup); sanitised when stored. */
  html: string;
  excerpt?: string;
  status: ImportedStatus;
  /** ISO 8601 UTC; for scheduled posts the time it goes live. */
  publishedAt?: string;
  createdAt?: string;
  updatedAt?: string;
  /** The byline, in order (the same person may also be in ImportedSite.people, matched by sourceId). */
  authors: ImportedPerson[];
  /** Categories (the first is the primary one → section) and tags, as the post names them. */
  categories: ImportedTerm[];
  tags: ImportedTerm[];
  featuredImage?: ImportedImage;
  sticky?: boolean;
  commentsOpen?: boolean;
  /** Every address this post was reachable at on the old site (paths or full URLs): permalink, guid, ?p=123. */
  oldUrls: string[];
  comments: ImportedComment[];
}

/** Something the reader met and could not carry over as is (unknown shortcode, unsupported block…). */
export interface ImportWarning {
  /** Where: the post's sourceId or the element. */
  where: string;
  message: string;
}

/** A whole export, read: the small lists up front, the posts streamed (an export may hold 50,000). */
export interface ImportedSite {
  source: ImportSource;
  /** The old site's base URL (WordPress `base_site_url`/`link`, Ghost's `url` when present). */
  siteUrl?: string;
  people: ImportedPerson[];
  categories: ImportedTerm[];
  tags: ImportedTerm[];
  /** Read while iterating: a post may name people and terms not listed above (the writer adds them). */
  posts: AsyncIterable<ImportedPost>;
  warnings: ImportWarning[];
  /**
   * The posts once more, for the import's second pass, without reading what the first pass already
   * collected (a WordPress export's attachments and reusable blocks) again; warnings start over
   * from those of the header. Readers without it are opened again.
   */
  again?: () => AsyncIterable<ImportedPost>;
  /** How many posts (and pages) and comments `posts` will yield, when the reader knows before iterating. */
  totals?: { posts: number; comments: number };
}

/** A malformed or unsupported export: names the file and the element. Nothing has been written. */
export class ImportFormatError extends Error {
  constructor(
    readonly file: string,
    readonly element: string,
    message: string,
  ) {
    super(`${file}: ${element}: ${message}`);
    this.name = 'ImportFormatError';
  }
}
