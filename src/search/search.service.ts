import type { ArticleCard } from '../articles/article.repo.js';
import { cardsInOrder } from '../articles/article.repo.js';
import type { Executor } from '../events.js';
import { findSectionBySlug } from '../sections/section.service.js';
import type { Section } from '../sections/section.table.js';
import { parseDateTime } from '../text/time.js';
import type { SearchRequest } from './search.params.js';
import { MARK_END, MARK_START, type ParsedQuery, parseQuery } from './search.query.js';
import { RANKED_LIMIT, type SearchFilters, searchIndex } from './search.repo.js';

export const SEARCH_PAGE_SIZE = 10;

/** Text split into plain and matched parts, so views can highlight without building HTML strings. */
export type Marked = { text: string; match: boolean }[];

export interface SearchResult {
  article: ArticleCard;
  headline: Marked;
  snippet: Marked;
}

export interface SearchOutcome {
  query: ParsedQuery;
  section?: Section;
  /** Matches counted; with `broad`, more than this many matched. */
  total: number;
  /** More articles matched than are ranked (RANKED_LIMIT): results come newest first. */
  broad: boolean;
  page: number;
  pages: number;
  pageSize: number;
  results: SearchResult[];
}

/** Splits text with MARK_START/MARK_END markers into parts; unbalanced markers are simply dropped. */
export function toMarked(text: string): Marked {
  const parts: Marked = [];
  let match = false;
  let buf = '';
  const flush = () => {
    if (buf) parts.push({ text: buf, match });
    buf = '';
  };
  for (const ch of text) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      match = ch === MARK_START;
    } else buf += ch;
  }
  flush();
  return parts;
}

/** Day filters in the site's time zone → UTC instants (the "to" day is included whole). */
function dateFilters(r: SearchRequest, timeZone: string): Pick<SearchFilters, 'from' | 'to'> {
  const from = r.from ? parseDateTime(`${r.from}T00:00`, timeZone) : undefined;
  const toStart = r.to ? parseDateTime(`${r.to}T00:00`, timeZone) : undefined;
  const to = toStart ? new Date(toStart.getTime() + 24 * 3600 * 1000) : undefined;
  return { from: from?.toISOString(), to: to?.toISOString() };
}

/** Runs a reader's search: ranked, highlighted, filtered and paginated. Never throws for odd input. */
export async function search(
  db: Executor,
  r: SearchRequest,
  opts: { timeZone: string; pageSize?: number; rankedLimit?: number },
): Promise<SearchOutcome> {
  const pageSize = opts.pageSize ?? SEARCH_PAGE_SIZE;
  const rankedLimit = opts.rankedLimit ?? RANKED_LIMIT;
  const query = parseQuery(r.q, { prefixLast: r.prefix });
  const section = r.section ? await findSectionBySlug(db, r.section) : undefined;
  const empty = { query, section, total: 0, broad: false, page: r.page, pages: 0, pageSize, results: [] };
  // An unknown section matches nothing rather than everything.
  if (!query.searchable || (r.section && !section)) return empty;
  const filters: SearchFilters = { sectionId: section?.id, ...dateFilters(r, opts.timeZone) };
  const { total, broad, hits } = await searchIndex(db, query, filters, { limit: pageSize, offset: (r.page - 1) * pageSize }, rankedLimit);
  const cards = new Map(
    (
      await cardsInOrder(
        db,
        hits.map((h) => h.id),
      )
    ).map((c) => [c.id, c]),
  );
  const results = hits.flatMap((h) => {
    const article = cards.get(h.id);
    return article ? [{ article, headline: toMarked(h.headline), snippet: toMarked(h.snippet) }] : [];
  });
  // A broad query's total is a lower bound: its pages go as far as the ranked limit.
  const counted = broad ? rankedLimit : total;
  return { ...empty, total: counted, broad, pages: Math.ceil(counted / pageSize), results };
}
