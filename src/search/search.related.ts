import { LRUCache } from 'lru-cache';
import type { ArticleView } from '../articles/article.repo.js';
import { isDistinctive } from '../articles/related.js';
import { textFingerprint } from '../articles/related.memo.js';
import { perDatabase } from '../db/per-database.js';
import type { Executor } from '../events.js';
import { relatedInIndex, termCounts } from './search.repo.js';

export const RELATED_TERMS = 12;
/** How many of an article's words are weighed before the common ones are set aside. */
const CANDIDATE_TERMS = 24;
/**
 * The most article matches the chosen terms may add up to. Ranking reads every match of every
 * term, so a word found in a large share of a big archive ("people", "year") would make one page
 * cost as much as a search over everything; such words say little about relatedness anyway.
 */
export const MATCH_BUDGET = 2000;

/**
 * The words that best say what an article is about: frequent in it, and weighted by where they
 * stand (headline and tags count three times, the standfirst twice, the body once). The index's
 * ranking then favours the rarer of them (bm25) and matches in other articles' headlines and tags.
 */
export function distinctiveTerms(a: Pick<ArticleView, 'headline' | 'standfirst' | 'bodyHtml' | 'tags'>, max = RELATED_TERMS): string[] {
  const score = new Map<string, number>();
  const add = (text: string, weight: number) => {
    const counts = new Map<string, number>();
    for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) if (isDistinctive(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, n] of counts) score.set(w, (score.get(w) ?? 0) + n * weight);
  };
  add(a.headline, 3);
  add(a.tags.map((t) => t.name).join(' '), 3);
  add(a.standfirst, 2);
  add(textOfHtml(a.bodyHtml), 1);
  return [...score.entries()]
    .filter(([w]) => !/^\d+$/.test(w))
    .sort((x, y) => y[1] - x[1] || y[0].length - x[0].length || x[0].localeCompare(y[0]))
    .slice(0, max)
    .map(([w]) => w);
}

/**
 * The words of the stored body HTML (rendered and sanitised when the article was saved), its
 * tags and character references set aside: enough to weigh words, and a tenth of the cost of
 * rendering the Markdown again.
 */
function textOfHtml(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&[#\w]+;/g, ' ');
}

type TermSource = Pick<ArticleView, 'id' | 'headline' | 'standfirst' | 'bodyMd' | 'bodyHtml' | 'tags'>;

/**
 * The terms of recently shown articles: finding them reads every word of the body, which would
 * otherwise cost more than the rest of an article page's render. An entry is used only while the
 * text it came from is unchanged.
 */
const remembered = new LRUCache<number, { text: string; terms: string[] }>({ max: 2000 });

function termsOf(article: TermSource): string[] {
  const text = textFingerprint(article);
  const known = remembered.get(article.id);
  if (known?.text === text) return known.terms;
  const found = distinctiveTerms(article, CANDIDATE_TERMS);
  remembered.set(article.id, { text, terms: found });
  return found;
}

/**
 * How many articles each word is in (up to the budget), shared by every article that uses the
 * word and recounted after ten minutes: a newsroom's vocabulary is shared, so a page view rarely
 * counts anything.
 */
const countsOf = perDatabase(() => new LRUCache<string, number>({ max: 50_000, ttl: 600_000 }));

/**
 * An article's terms in order of weight, without those absent from the index and those whose
 * matches would take the total over the budget: on a small site every term, in a big archive the
 * rarer ones. None at all means the caller falls back on the newest of the section.
 */
export async function affordableTerms(db: Executor, terms: string[], budget = MATCH_BUDGET): Promise<string[]> {
  const counts = countsOf(db);
  // Counts are capped just above the budget, so they are remembered per budget.
  const key = (term: string) => `${budget}:${term}`;
  const unknown = terms.filter((t) => !counts.has(key(t)));
  if (unknown.length) for (const [term, n] of await termCounts(db, unknown, budget + 1)) counts.set(key(term), n);
  const chosen: string[] = [];
  let total = 0;
  for (const term of terms) {
    const n = counts.get(key(term)) ?? 0;
    if (n === 0 || total + n > budget) continue;
    chosen.push(term);
    total += n;
    if (chosen.length === RELATED_TERMS) break;
  }
  return chosen;
}

/** Other articles of the same section that share this article's distinctive terms, most related first (ids). */
export async function relatedFromIndex(db: Executor, article: ArticleView, limit: number): Promise<number[]> {
  return relatedInIndex(db, {
    articleId: article.id,
    sectionId: article.section.id,
    terms: await affordableTerms(db, termsOf(article)),
    limit,
  });
}
