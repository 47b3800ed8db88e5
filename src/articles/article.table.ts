import type { Generated, Selectable } from 'kysely';

export const ARTICLE_STATUSES = ['draft', 'in_review', 'scheduled', 'published', 'unpublished'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export interface ArticleTable {
  id: Generated<number>;
  slug: string;
  section_id: number;
  headline: string;
  standfirst: string;
  body_md: string;
  body_html: string;
  word_count: number;
  status: ArticleStatus;
  /** ISO 8601 UTC; for a scheduled article, the time it goes live. */
  published_at: string | null;
  /** Set when a published article is changed. */
  updated_at: string | null;
  comments_open: number;
  hero_media_id: number | null;
  hero_alt: string;
  hero_caption: string;
  hero_credit: string;
  created_at: string;
  modified_at: string;
  /** The staff account that created the article (writers may edit only their own). */
  created_by: number | null;
  /** The API token that created it, when no staff account stands behind the token. */
  created_by_token: number | null;
}
export interface ArticleAuthorTable {
  article_id: number;
  person_id: number;
  position: number;
}
export type ArticleRow = Selectable<ArticleTable>;

/** The lists a published article appears in: its section, each author's page, each tag's page. */
export type ListKind = 'section' | 'author' | 'tag';

/** One published article in one list (kept by triggers; see the listings migration). */
export interface ListingTable {
  kind: ListKind;
  list_id: number;
  published_at: string;
  article_id: number;
}

/** How many published articles a list has (kept by triggers). */
export interface ListingCountTable {
  kind: ListKind;
  list_id: number;
  n: number;
}

export type ListingTables = {
  listings: ListingTable;
  listing_counts: ListingCountTable;
};
