import { AppError, invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { entryProblem, formatLexicon, mergeLexicons, type Pronunciation, parseLexicon } from './lexicon.apply.js';
import { articlesMentioning, deleteEntry, findEntry, listEntries, upsertEntry } from './lexicon.repo.js';
import type { LexiconEntryRow } from './lexicon.table.js';
import { requestNarration } from './narration.service.js';

export const toPronunciation = (r: LexiconEntryRow): Pronunciation => ({
  term: r.term,
  respelling: r.respelling,
  caseSensitive: r.case_sensitive === 1,
  wholeWord: r.whole_word === 1,
});

/** What the narration of this article applies: the site's lexicon with the article's own entries on top. */
export async function lexiconFor(db: Executor, articleId: number): Promise<Pronunciation[]> {
  const [site, own] = await Promise.all([listEntries(db, 0), articleId ? listEntries(db, articleId) : Promise.resolve([])]);
  return mergeLexicons(site.map(toPronunciation), own.map(toPronunciation));
}

export interface EntryInput extends Pronunciation {
  /** 0 for the site's lexicon. */
  articleId: number;
}

/**
 * Narrates again the articles a change may affect: every published article that mentions one of
 * the terms (or the one article, for its own entries). Only their paragraphs that contain a term
 * get new spoken text, so only those are synthesised again; the others come from the cache.
 */
async function renarrate(trx: Executor, articleId: number, terms: string[]): Promise<number> {
  const ids = articleId
    ? await articlesMentioning(trx, terms).then((all) => all.filter((id) => id === articleId))
    : await articlesMentioning(trx, terms);
  for (const id of ids) await requestNarration(trx, id);
  return ids.length;
}

export async function saveEntry(trx: Executor, input: EntryInput): Promise<void> {
  const term = input.term.trim().replace(/\s+/g, ' ');
  const respelling = input.respelling.trim().replace(/\s+/g, ' ');
  const problem = entryProblem(term, respelling);
  if (problem) throw invalid(problem, problem.includes('respelling') ? 'respelling' : 'term');
  await upsertEntry(trx, { ...input, term, respelling });
  const articles = await renarrate(trx, input.articleId, [term]);
  await recordEvent(trx, 'lexicon.changed', input.articleId || null, { action: 'saved', terms: [term], articles });
}

export async function removeEntry(trx: Executor, id: number, articleId = 0): Promise<void> {
  const entry = await findEntry(trx, id);
  if (!entry || entry.article_id !== articleId) throw new AppError('not_found', 'There is no such entry in this lexicon.');
  await deleteEntry(trx, id);
  const articles = await renarrate(trx, articleId, [entry.term]);
  await recordEvent(trx, 'lexicon.changed', articleId || null, { action: 'deleted', terms: [entry.term], articles });
}

/** Adds (or replaces) every entry of a `term = respelling` file; nothing is saved if a line is wrong. */
export async function importLexicon(trx: Executor, text: string, articleId = 0): Promise<number> {
  if (text.length > 500_000) throw invalid('The file is too large: 500,000 characters at most.', 'file');
  const parsed = parseLexicon(text);
  if (parsed.errors.length) {
    const shown = parsed.errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`);
    throw invalid(`Nothing was imported. ${shown.join(' ')}${parsed.errors.length > 5 ? ' …' : ''}`, 'file');
  }
  if (parsed.entries.length === 0) throw invalid('The file has no entries ("word = how to say it", one a line).', 'file');
  for (const e of parsed.entries) await upsertEntry(trx, { ...e, articleId });
  const terms = parsed.entries.map((e) => e.term);
  const articles = await renarrate(trx, articleId, terms);
  await recordEvent(trx, 'lexicon.changed', articleId || null, { action: 'imported', terms: terms.slice(0, 50), articles });
  return parsed.entries.length;
}

export async function exportLexicon(db: Executor, articleId = 0): Promise<string> {
  return formatLexicon((await listEntries(db, articleId)).map(toPronunciation));
}
