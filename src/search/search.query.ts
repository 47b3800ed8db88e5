/**
 * The reader's search box, parsed into a small, safe query language that both databases
 * understand the same way:
 *   words            every word must match (stemmed: "votes" finds "vote")
 *   "a phrase"       the words in this order
 *   -word, -"a b"    exclude articles that have it
 *   sanct*           prefix match (also `prefixLast` for search-as-you-type)
 * Anything else (operators, brackets, stray quotes, FTS syntax) is treated as punctuation, so
 * no input can produce an invalid database query.
 */

export interface Clause {
  /** One or more words; more than one is a phrase. Words are letters and digits only. */
  words: string[];
  prefix: boolean;
  exclude: boolean;
}

export interface ParsedQuery {
  clauses: Clause[];
  /** True when there is something to look for (at least one clause that is not an exclusion). */
  searchable: boolean;
}

export const MAX_QUERY_CHARS = 256;
export const MAX_CLAUSES = 12;

// Words too common to narrow a search; PostgreSQL drops them too, so both databases agree.
export const STOP_WORDS = new Set(
  'a an and are as at be been but by for from has have he her his i in into is it its of on or our she so than that the their them then there these they this to was we were which while who will with you'.split(
    ' ',
  ),
);

// Characters used as highlight markers in snippets; removed from indexed text and queries.
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

const WORD = /[\p{L}\p{N}]+/gu;

function wordsOf(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.slice(0, 64));
}

/** Parses whatever a reader typed. Never throws. */
export function parseQuery(input: unknown, opts: { prefixLast?: boolean } = {}): ParsedQuery {
  const text = (typeof input === 'string' ? input : '').slice(0, MAX_QUERY_CHARS);
  const clauses: Clause[] = [];
  // A quoted phrase (closed or running to the end), or a bare token up to the next space or quote.
  const token = /(-?)"([^"]*)"?|(\S+?)(?=\s|"|$)/g;
  let lastTokenEnd = 0;
  for (const m of text.matchAll(token)) {
    lastTokenEnd = (m.index ?? 0) + m[0].length;
    if (m[2] !== undefined) {
      const words = wordsOf(m[2]);
      if (words.some((w) => !STOP_WORDS.has(w))) clauses.push({ words, prefix: false, exclude: m[1] === '-' });
      continue;
    }
    const raw = m[3];
    const exclude = raw.startsWith('-') && raw.length > 1;
    const prefix = /[\p{L}\p{N}]\*+$/u.test(raw);
    const words = wordsOf(raw);
    if (words.length === 0) continue;
    // "late-night" reads as the phrase "late night", as the index tokenizes it.
    if (words.length === 1 && !prefix && !exclude && STOP_WORDS.has(words[0])) continue;
    clauses.push({ words, prefix: prefix && words.length === 1, exclude });
  }
  if (opts.prefixLast && clauses.length && lastTokenEnd === text.length && !/\s$/.test(text)) {
    const last = clauses[clauses.length - 1];
    if (last.words.length === 1 && !last.exclude) last.prefix = true;
  }
  const kept = dedupe(clauses).slice(0, MAX_CLAUSES);
  return { clauses: kept, searchable: kept.some((c) => !c.exclude) };
}

function dedupe(clauses: Clause[]): Clause[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = `${c.exclude ? '-' : ''}${c.words.join(' ')}${c.prefix ? '*' : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const quote = (words: string[]) => `"${words.join(' ')}"`;

/** The FTS5 MATCH expression: every word quoted, so nothing the reader typed is FTS syntax. */
export function toFts5(q: ParsedQuery): string {
  const positive = q.clauses.filter((c) => !c.exclude).map((c) => (c.prefix ? `${quote(c.words)}*` : quote(c.words)));
  if (positive.length === 0) return '';
  const negative = q.clauses.filter((c) => c.exclude).map((c) => (c.prefix ? `${quote(c.words)}*` : quote(c.words)));
  return [`(${positive.join(' AND ')})`, ...negative].join(' NOT ');
}

/**
 * For PostgreSQL: text for websearch_to_tsquery (quoted words and phrases, -exclusions) and the
 * prefix words, which websearch syntax cannot express, for to_tsquery('word:*').
 */
export function toPostgres(q: ParsedQuery): { websearch: string; prefixes: { word: string; exclude: boolean }[] } {
  const parts: string[] = [];
  const prefixes: { word: string; exclude: boolean }[] = [];
  for (const c of q.clauses) {
    if (c.prefix) prefixes.push({ word: c.words[0], exclude: c.exclude });
    else parts.push(`${c.exclude ? '-' : ''}${quote(c.words)}`);
  }
  return { websearch: parts.join(' '), prefixes };
}

/** The words a reader searched for (for highlighting and messages). */
export function describeQuery(q: ParsedQuery): string {
  return q.clauses.map((c) => `${c.exclude ? '-' : ''}${c.words.length > 1 ? quote(c.words) : c.words[0]}${c.prefix ? '*' : ''}`).join(' ');
}
