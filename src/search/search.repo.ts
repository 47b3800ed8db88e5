import { type RawBuilder, sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import { MARK_END, MARK_START, type ParsedQuery, toFts5, toPostgres } from './search.query.js';

export interface SearchFilters {
  sectionId?: number;
  /** Inclusive lower bound, ISO 8601 UTC. */
  from?: string;
  /** Exclusive upper bound, ISO 8601 UTC. */
  to?: string;
}

/** One match: the article id, and its headline and a body snippet with MARK_START/MARK_END around matched words. */
export interface Hit {
  id: number;
  headline: string;
  snippet: string;
}

// Column weights: a word in the headline counts most, then tags and standfirst, then bylines, then the
// body; the section column (its id, for related articles) counts nothing.
const BM25 = sql.raw('bm25(article_search, 10.0, 4.0, 1.0, 5.0, 2.0, 0.0)');

const NUMBER = /^\p{N}+$/u;

/**
 * An FTS5 expression over these words that never matches the section column, which holds ids:
 * only a number can be found there, so an expression with a number in it is limited to the text
 * columns (a column filter costs a fifth of a word's lookup, so it is not added otherwise).
 */
function textOnly(expression: string, words: string[]): string {
  return words.some((w) => NUMBER.test(w)) ? `{headline standfirst body tags authors} : (${expression})` : expression;
}
const PG_WEIGHTS = sql.raw(`'{0.1, 0.3, 0.5, 1.0}'::float4[]`);
const SNIPPET_WORDS = 28;

function filterSql(f: SearchFilters): RawBuilder<unknown> {
  const parts = [sql`a.status = 'published'`];
  if (f.sectionId !== undefined) parts.push(sql`a.section_id = ${f.sectionId}`);
  if (f.from) parts.push(sql`a.published_at >= ${f.from}`);
  if (f.to) parts.push(sql`a.published_at < ${f.to}`);
  return sql.join(parts, sql` AND `);
}

/** The tsquery for a parsed query: websearch_to_tsquery for words and phrases, to_tsquery('w:*') for prefixes. */
function pgQuery(q: ParsedQuery): RawBuilder<unknown> {
  const { websearch, prefixes } = toPostgres(q);
  const parts: RawBuilder<unknown>[] = [];
  if (websearch) parts.push(sql`websearch_to_tsquery('english', ${websearch})`);
  // Prefix words are letters and digits only (see parseQuery), so ':*' is the only syntax here.
  for (const p of prefixes)
    parts.push(p.exclude ? sql`!! to_tsquery('english', ${`${p.word}:*`})` : sql`to_tsquery('english', ${`${p.word}:*`})`);
  return sql`(${sql.join(parts, sql` && `)})`;
}

/**
 * The most matches a search ranks by relevance. Ranking reads every match of every word (and
 * counts each word's articles across the whole index), so a query that matches a large part of
 * a big archive ("people", "year") is answered newest first instead (by article id: newest
 * written), with "more than" this many.
 */
export const RANKED_LIMIT = 2000;

export interface SearchHits {
  /** Matches counted, up to RANKED_LIMIT + 1. */
  total: number;
  /** True when more than RANKED_LIMIT articles match: `total` is a lower bound and hits are newest first. */
  broad: boolean;
  hits: Hit[];
}

/** Ranked matches (best first; newer first among equals) and the total count; see RANKED_LIMIT for broad queries. */
export async function searchIndex(
  db: Executor,
  q: ParsedQuery,
  filters: SearchFilters,
  page: { limit: number; offset: number },
  rankedLimit = RANKED_LIMIT,
): Promise<SearchHits> {
  if (!q.searchable) return { total: 0, broad: false, hits: [] };
  const where = filterSql(filters);
  // Only published articles are indexed: without filters the index alone can count.
  const filtered = filters.sectionId !== undefined || Boolean(filters.from) || Boolean(filters.to);
  if (dialectOf(db) === 'postgres') {
    const query = pgQuery(q);
    const count = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (
        SELECT 1 FROM article_search s JOIN articles a ON a.id = s.article_id
        WHERE s.document @@ ${query} AND ${where} LIMIT ${rankedLimit + 1}
      ) x`.execute(db);
    const total = Number(count.rows[0]?.n ?? 0);
    const broad = total > rankedLimit;
    if (total === 0 || page.offset >= total) return { total, broad, hits: [] };
    const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=${SNIPPET_WORDS}, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
    const rows = await sql<Hit>`
      WITH q AS (SELECT ${query} AS query),
      ranked AS (
        SELECT s.article_id, s.headline, s.body, ${broad ? sql`0` : sql`ts_rank(${PG_WEIGHTS}, s.document, q.query, 1)`} AS rank, a.published_at
        FROM article_search s JOIN articles a ON a.id = s.article_id, q
        WHERE s.document @@ q.query AND ${where}
        ORDER BY ${broad ? sql`s.article_id DESC` : sql`rank DESC, a.published_at DESC, s.article_id DESC`}
        LIMIT ${page.limit} OFFSET ${page.offset}
      )
      SELECT r.article_id AS id,
        ts_headline('english', r.headline, q.query, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`}) AS headline,
        ts_headline('english', r.body, q.query, ${options}) AS snippet
      FROM ranked r, q
      ORDER BY ${broad ? sql`r.article_id DESC` : sql`r.rank DESC, r.published_at DESC, r.article_id DESC`}`.execute(db);
    return { total, broad, hits: rows.rows };
  }
  const match = textOnly(
    toFts5(q),
    q.clauses.flatMap((c) => c.words),
  );
  const count = await sql<{ n: number }>`
    SELECT count(*) AS n FROM (
      SELECT 1 FROM article_search ${filtered ? sql`JOIN articles a ON a.id = article_search.rowid` : sql``}
      WHERE article_search MATCH ${match} ${filtered ? sql`AND ${where}` : sql``} LIMIT ${rankedLimit + 1}
    )`.execute(db);
  const total = Number(count.rows[0]?.n ?? 0);
  const broad = total > rankedLimit;
  if (total === 0 || page.offset >= total) return { total, broad, hits: [] };
  const rows = await sql<Hit>`
    SELECT article_search.rowid AS id,
      highlight(article_search, 0, ${MARK_START}, ${MARK_END}) AS headline,
      snippet(article_search, 2, ${MARK_START}, ${MARK_END}, '…', ${SNIPPET_WORDS}) AS snippet
    FROM article_search JOIN articles a ON a.id = article_search.rowid
    WHERE article_search MATCH ${match} AND ${where}
    ORDER BY ${broad ? sql`article_search.rowid DESC` : sql`${BM25}, a.published_at DESC, a.id DESC`}
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return { total, broad, hits: rows.rows };
}

/** Letters and digits only: safe to quote into either engine's query syntax as it is. */
const isWord = (term: string) => /^[\p{L}\p{N}]+$/u.test(term);

/**
 * In how many indexed articles each term occurs, counted up to `cap` (a term found `cap` times
 * may occur more often): reading a word's list of articles stops there, so a common word costs
 * no more than a rare one. PostgreSQL cannot stop early (its index gives no count; reading the
 * matching rows of a common word takes 50-200 ms at 100,000 articles), so there the counts of
 * `search_terms` come first, and only words it does not hold (rare or new ones) are counted.
 */
export async function termCounts(db: Executor, terms: string[], cap: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const pg = dialectOf(db) === 'postgres';
  const words = terms.filter(isWord);
  let toCount = words;
  if (pg && words.length) {
    const known = await sql<{ term: string; lexeme: string | null; articles: number | null }>`
      SELECT u.term, x.lexeme, s.articles
      FROM unnest(${words}::text[]) AS u(term)
      CROSS JOIN LATERAL (SELECT (tsvector_to_array(to_tsvector('english', u.term)))[1] AS lexeme) x
      LEFT JOIN search_terms s ON s.lexeme = x.lexeme`.execute(db);
    toCount = [];
    for (const row of known.rows) {
      // No lexeme: a stop word, which the index does not hold.
      if (row.lexeme === null) counts.set(row.term, 0);
      else if (row.articles !== null) counts.set(row.term, Math.min(Number(row.articles), cap));
      else toCount.push(row.term);
    }
  }
  if (toCount.length === 0) return counts;
  // One statement for all of them: a count per column.
  const columns = toCount.map((term, i) =>
    pg
      ? sql`(SELECT count(*) FROM (SELECT 1 FROM article_search WHERE document @@ to_tsquery('english', ${term}) LIMIT ${cap}) x) AS ${sql.ref(`n${i}`)}`
      : sql`(SELECT count(*) FROM (SELECT 1 FROM article_search WHERE article_search MATCH ${textOnly(`"${term}"`, [term])} LIMIT ${cap})) AS ${sql.ref(`n${i}`)}`,
  );
  const row = (await sql<Record<string, number>>`SELECT ${sql.join(columns)}`.execute(db)).rows[0] ?? {};
  for (const [i, term] of toCount.entries()) counts.set(term, Number(row[`n${i}`] ?? 0));
  return counts;
}

/** How many of the section's best matches are looked up (a margin over the few shown, for ties and the article itself). */
const RELATED_POOL = 50;

/**
 * Other published articles of a section that share any of these terms, most related first
 * (the same ranking as search: headline and tag matches weigh most), newer first among equals.
 * The index holds each article's section, so matches in other sections never crowd out the
 * section's own. The cost follows how many articles the terms match (the caller keeps that within
 * a budget), not the size of the section or the archive.
 */
export async function relatedInIndex(
  db: Executor,
  opts: { articleId: number; sectionId: number; terms: string[]; limit: number },
): Promise<number[]> {
  const words = opts.terms.filter(isWord);
  if (words.length === 0) return [];
  if (dialectOf(db) === 'postgres') {
    const rows = await sql<{ id: number }>`
      WITH q AS (SELECT to_tsquery('english', ${words.join(' | ')}) AS query),
      best AS (
        SELECT s.article_id, ts_rank(${PG_WEIGHTS}, s.document, q.query, 1) AS rank
        FROM article_search s, q WHERE s.document @@ q.query AND s.section_id = ${opts.sectionId}
        ORDER BY rank DESC, s.article_id DESC LIMIT ${RELATED_POOL}
      )
      SELECT a.id FROM best b JOIN articles a ON a.id = b.article_id
      WHERE a.section_id = ${opts.sectionId} AND a.id <> ${opts.articleId} AND a.status = 'published'
      ORDER BY b.rank DESC, a.published_at DESC, a.id DESC
      LIMIT ${opts.limit}`.execute(db);
    return rows.rows.map((r) => r.id);
  }
  const terms = `(${textOnly(words.map((w) => `"${w}"`).join(' OR '), words)})`;
  const inSection = `${terms} AND section : "${Number(opts.sectionId)}"`;
  // bm25 counts the articles of every phrase of its expression across the whole index, so ranking
  // `inSection` itself would read the section's whole list (4 ms for a section of 166,000
  // articles). The terms' matches are ranked instead (as many as the caller's budget allows), and
  // kept when an unranked match of the terms within the section found them; the scores are the
  // same, as the section column weighs nothing. The `+` keeps the section's matches one list,
  // built once, rather than a lookup of the ranked match per id.
  // CROSS JOIN keeps the ranked matches as the outer loop (else SQLite may walk the section's index).
  const rows = await sql<{ id: number }>`
    SELECT a.id FROM (
      SELECT m.id, m.score FROM (
        SELECT rowid AS id, ${BM25} AS score FROM article_search WHERE article_search MATCH ${terms}
      ) m
      WHERE +m.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ${inSection})
      ORDER BY m.score, m.id DESC LIMIT ${RELATED_POOL}
    ) best CROSS JOIN articles a ON a.id = best.id
    WHERE a.section_id = ${opts.sectionId} AND a.id <> ${opts.articleId} AND a.status = 'published'
    ORDER BY best.score, a.published_at DESC, a.id DESC
    LIMIT ${opts.limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}
