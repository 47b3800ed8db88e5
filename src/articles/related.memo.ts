import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { perDatabase } from '../db/per-database.js';
import type { Executor } from '../events.js';
import type { ArticleView } from './article.repo.js';

/** The related articles found for an article, most related first (a few more than a page shows). */
export interface RelatedIds {
  ids: number[];
  /** The newest of the section filled the list: the page then shows that list. */
  fromSection: boolean;
}

interface Entry extends RelatedIds {
  key: string;
}

type TextSource = Pick<ArticleView, 'headline' | 'standfirst' | 'bodyMd' | 'tags'>;

/** Fingerprints of the article views being shown (a view is not changed once loaded): the memo's key and the index's terms both ask. */
const fingerprints = new WeakMap<TextSource, string>();

/** A fingerprint of what an article's related articles are found from: its words and its tags. */
export function textFingerprint(article: TextSource): string {
  let found = fingerprints.get(article);
  if (found === undefined) {
    found = fingerprintOf(article);
    fingerprints.set(article, found);
  }
  return found;
}

function fingerprintOf(article: TextSource): string {
  return createHash('sha1')
    .update(article.headline)
    .update('\u0000')
    .update(article.standfirst)
    .update('\u0000')
    .update(article.tags.map((t) => t.name).join('\u0001'))
    .update('\u0000')
    .update(article.bodyMd)
    .digest('base64url');
}

/**
 * Ranking an article's related articles reads every match of its terms in the search index: on
 * PostgreSQL with a large archive that costs more than all the rest of the page. The ranking is
 * kept per article (per database), and used while the article's text and its section's list of
 * published articles (its stamp) are unchanged, for at most ten minutes (the page cache's own
 * safety net), so edits to other articles count within that time.
 */
const memoOf = perDatabase(() => new LRUCache<number, Entry>({ max: 20_000, ttl: 600_000 }));

/** What a kept ranking is valid for: the section's stamp and the article's text. */
export function relatedKey(article: TextSource, stamp: string): string {
  return `${stamp}|${textFingerprint(article)}`;
}

export function recallRelated(db: Executor, articleId: number, key: string): RelatedIds | undefined {
  const entry = memoOf(db).get(articleId);
  return entry?.key === key ? entry : undefined;
}

export function rememberRelated(db: Executor, articleId: number, key: string, found: RelatedIds): void {
  memoOf(db).set(articleId, { ...found, key });
}
