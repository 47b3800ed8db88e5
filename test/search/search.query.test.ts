import { describe, expect, it } from 'vitest';
import { readSearchRequest, searchQueryString } from '../../src/search/search.params.js';
import { describeQuery, MAX_CLAUSES, parseQuery, toFts5, toPostgres } from '../../src/search/search.query.js';
import { toMarked } from '../../src/search/search.service.js';

describe('parseQuery', () => {
  it('reads words, phrases, exclusions and prefixes', () => {
    const q = parseQuery('Council "late night" -budget sanct*');
    expect(q.clauses).toEqual([
      { words: ['council'], prefix: false, exclude: false },
      { words: ['late', 'night'], prefix: false, exclude: false },
      { words: ['budget'], prefix: false, exclude: true },
      { words: ['sanct'], prefix: true, exclude: false },
    ]);
    expect(q.searchable).toBe(true);
    expect(describeQuery(q)).toBe('council "late night" -budget sanct*');
  });

  it('treats hyphenated words as a phrase and drops stop words', () => {
    expect(parseQuery('the late-night vote').clauses).toEqual([
      { words: ['late', 'night'], prefix: false, exclude: false },
      { words: ['vote'], prefix: false, exclude: false },
    ]);
  });

  it('makes the last word a prefix when typing', () => {
    expect(parseQuery('harbor expan', { prefixLast: true }).clauses[1]).toEqual({ words: ['expan'], prefix: true, exclude: false });
    expect(parseQuery('harbor expan ', { prefixLast: true }).clauses[1].prefix).toBe(false);
  });

  it('is not searchable with only exclusions, stop words or punctuation', () => {
    for (const text of ['', '   ', '-budget', 'the of and', '!!! ??? ***', '"', '""', '(', ')(', '-', '*', '\u0000']) {
      expect(parseQuery(text).searchable, JSON.stringify(text)).toBe(false);
    }
  });

  it('survives unbalanced quotes, FTS syntax and very long input', () => {
    expect(parseQuery('"council budget').clauses).toEqual([{ words: ['council', 'budget'], prefix: false, exclude: false }]);
    expect(parseQuery('budget NEAR(council, 3) AND OR NOT').clauses.map((c) => c.words.join(' '))).toEqual([
      'budget',
      'near council',
      '3',
      'not',
    ]);
    const long = parseQuery('word '.repeat(200) + 'x'.repeat(1000));
    expect(long.clauses.length).toBeLessThanOrEqual(MAX_CLAUSES);
    expect(parseQuery(`a${'b'.repeat(999)}`).clauses[0].words[0].length).toBeLessThanOrEqual(64);
    expect(parseQuery(42).searchable).toBe(false);
  });

  it('compiles to quoted FTS5 and websearch text only', () => {
    const q = parseQuery('council "late night" -budget sanct* NEAR');
    expect(toFts5(q)).toBe('("council" AND "late night" AND "sanct"* AND "near") NOT "budget"');
    expect(toPostgres(q)).toEqual({ websearch: '"council" "late night" -"budget" "near"', prefixes: [{ word: 'sanct', exclude: false }] });
    expect(toFts5(parseQuery('-only'))).toBe('');
  });
});

describe('search request', () => {
  it('reads parameters leniently and explains what it ignored', () => {
    const { request, problems } = readSearchRequest({ q: 'x', section: 'Politics', from: '2026-13-45', to: 'soon', page: 'two' });
    expect(request).toMatchObject({ q: 'x', section: 'politics', from: '', to: '', page: 1 });
    expect(problems).toHaveLength(3);
    const swapped = readSearchRequest({ q: ['a', 'b'], from: '2026-12-01', to: '2026-11-01', page: '99999999' });
    expect(swapped.request).toMatchObject({ q: 'a', from: '2026-11-01', to: '2026-12-01', page: 1 });
    expect(readSearchRequest({ page: '5000' }).request.page).toBe(1000);
    expect(readSearchRequest(undefined).request.q).toBe('');
  });

  it('builds links that keep the filters', () => {
    expect(searchQueryString({ q: 'a b&c', section: 'politics', page: 2 })).toBe('q=a+b%26c&section=politics&page=2');
  });
});

describe('toMarked', () => {
  it('splits highlighted text and tolerates unbalanced markers', () => {
    expect(toMarked('a \uE000b\uE001 c')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
      { text: ' c', match: false },
    ]);
    expect(toMarked('\uE001x\uE000y')).toEqual([
      { text: 'x', match: false },
      { text: 'y', match: true },
    ]);
  });
});
