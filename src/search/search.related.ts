import { LRUCache } from 'lru-cache';
import type { ArticleCard, ArticleView } from '../articles/article.repo.js';
import { cardsInOrder } from '../articles/article.repo.js';
import { terms } from '../articles/related.js';
import type { Executor } from '../events.js';
import { markdownToText } from '../text/markdown.js';
import { relatedInIndex } from './search.repo.js';

export const RELATED_TERMS = 12;

/**
 * The words that best say what an article is about: frequent in it, and weighted by where they
 * stand (headline and tags count three times, the standfirst twice, the body once). The index's
 * ranking then favours the rarer of them (bm25) and matches in other articles' headlines and tags.
 */
export function distinctiveTerms(a: Pick<ArticleView, 'headline' | 'standfirst' | 'bodyMd' | 'tags'>, max = RELATED_TERMS): string[] {
  const score = new Map<string, number>();
  const add = (text: string, weight: number) => {
    const counts = new Map<string, number>();
    for (const w of (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => terms(w).size))
      counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, n] of counts) score.set(w, (score.get(w) ?? 0) + n * weight);
  };
  add(a.headline, 3);
  add(a.tags.map((t) => t.name).join(' '), 3);
  add(a.standfirst, 2);
  add(markdownToText(a.bodyMd), 1);
  return [...score.entries()]
    .filter(([w]) => !/^\d+$/.test(w))
    .sort((x, y) => y[1] - x[1] || y[0].length - x[0].length || x[0].localeCompare(y[0]))
    .slice(0, max)
    .map(([w]) => w);
}

type TermSource = Pick<ArticleView, 'id' | 'headline' | 'standfirst' | 'bodyMd' | 'tags'>;

/**
 * The terms of recently shown articles: finding them renders the body's Markdown, which would
 * otherwise cost more than the rest of an article page's render. An entry is used only while the
 * text it came from is unchanged.
 */
const remembered = new LRUCache<number, { source: string; terms: string[] }>({ max: 2000 });

function termsOf(article: TermSource): string[] {
  const source = [article.headline, article.standfirst, article.tags.map((t) => t.name).join('\u0001'), article.bodyMd].join('\u0000');
  const known = remembered.get(article.id);
  if (known?.source === source) return known.terms;
  const found = distinctiveTerms(article);
  remembered.set(article.id, { source, terms: found });
  return found;
}

/** Other articles of the same section that share this article's distinctive terms, most related first. */
export async function relatedFromIndex(db: Executor, article: ArticleView, limit: number): Promise<ArticleCard[]> {
  const ids = await relatedInIndex(db, {
    articleId: article.id,
    sectionId: article.section.id,
    terms: termsOf(article),
    limit,
  });
  return cardsInOrder(db, ids);
}
