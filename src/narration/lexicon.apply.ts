/** A pronunciation as the script builder uses it (no database types: it runs in the synthesis host). */
export interface Pronunciation {
  term: string;
  respelling: string;
  caseSensitive: boolean;
  wholeWord: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function pattern(p: Pronunciation): RegExp {
  const body = escapeRegExp(p.term.trim()).replace(/\s+/g, '\\s+');
  // Letters and digits around the match decide "whole word" (\b knows no accents: "Zürich").
  const wrapped = p.wholeWord ? `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])` : body;
  return new RegExp(wrapped, p.caseSensitive ? 'gu' : 'giu');
}

/**
 * The entries that change this text, longest term first (so "New York Times" wins over "New
 * York"). An article's own entries replace the site's for the same term.
 */
export function applicable(text: string, entries: Pronunciation[]): Pronunciation[] {
  return entries.filter((e) => e.term.trim() && pattern(e).test(text)).sort((a, b) => b.term.length - a.term.length);
}

/**
 * Reads the lexicon into a sentence before it is normalised: each term becomes its respelling.
 * A respelled stretch is not matched again by a shorter term.
 */
export function applyLexicon(text: string, entries: Pronunciation[]): string {
  const used = applicable(text, entries);
  if (used.length === 0) return text;
  const marks: string[] = [];
  let out = text;
  for (const e of used) {
    out = out.replace(pattern(e), () => {
      marks.push(e.respelling);
      return `\uE000${marks.length - 1}\uE000`;
    });
  }
  return out.replace(/\uE000(\d+)\uE000/g, (_m, i) => marks[Number(i)]);
}

/** The site's entries with the article's on top (same term, case folded unless case-sensitive). */
export function mergeLexicons(site: Pronunciation[], article: Pronunciation[]): Pronunciation[] {
  const key = (p: Pronunciation) => (p.caseSensitive ? p.term.trim() : p.term.trim().toLowerCase());
  const own = new Set(article.map(key));
  return [...site.filter((p) => !own.has(key(p))), ...article];
}

/** `term = respelling` lines; options after a `|`: `case` (case-sensitive), `part` (not only whole words). */
export function formatLexicon(entries: Pronunciation[]): string {
  const lines = entries.map((e) => {
    const flags = [e.caseSensitive ? 'case' : '', e.wholeWord ? '' : 'part'].filter(Boolean);
    return `${e.term} = ${e.respelling}${flags.length ? ` | ${flags.join(' ')}` : ''}`;
  });
  return `# Pronunciation lexicon: term = respelling [| case] [| part]\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

export interface ParsedLexicon {
  entries: Pronunciation[];
  /** Line numbers (from 1) and why each was not understood. */
  errors: { line: number; message: string }[];
}

export const TERM_MAX = 100;
export const RESPELLING_MAX = 200;

/** Checks one entry; returns the problem, or undefined when it is fine. */
export function entryProblem(term: string, respelling: string): string | undefined {
  if (!term.trim()) return 'The word or phrase is empty.';
  if (term.length > TERM_MAX) return `The word or phrase is longer than ${TERM_MAX} characters.`;
  if (!respelling.trim()) return 'Say how to read it: the respelling is empty.';
  if (respelling.length > RESPELLING_MAX) return `The respelling is longer than ${RESPELLING_MAX} characters.`;
  if (/[=|\n\r\uE000]/.test(term + respelling)) return 'Neither the word nor the respelling may contain "=", "|" or line breaks.';
  return undefined;
}

/** Reads `term = respelling` lines (or CSV `term,respelling[,case][,part]`); `#` starts a comment. */
export function parseLexicon(text: string): ParsedLexicon {
  const entries: Pronunciation[] = [];
  const errors: ParsedLexicon['errors'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let term: string;
    let respelling: string;
    let flags: string[];
    if (line.includes('=')) {
      const [left, ...rest] = line.split('=');
      const [say, ...opts] = rest.join('=').split('|');
      term = left.trim();
      respelling = say.trim();
      flags = opts.join(' ').trim().toLowerCase().split(/\s+/);
    } else if (line.includes(',')) {
      const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
      if (i === 0 && cells[0].toLowerCase() === 'term') return;
      [term, respelling] = cells;
      flags = cells.slice(2).map((c) => c.toLowerCase());
      respelling ??= '';
    } else {
      errors.push({ line: i + 1, message: 'Expected "word = how to say it".' });
      return;
    }
    const problem = entryProblem(term, respelling);
    if (problem) errors.push({ line: i + 1, message: problem });
    else entries.push({ term, respelling, caseSensitive: flags.includes('case'), wholeWord: !flags.includes('part') });
  });
  return { entries, errors };
}
