import type { Executor } from '../events.js';
import type { LexiconEntryRow } from './lexicon.table.js';

/** The site's entries (article 0) or one article's overrides, alphabetically. */
export function listEntries(db: Executor, articleId = 0): Promise<LexiconEntryRow[]> {
  return db.selectFrom('lexicon_entries').selectAll().where('article_id', '=', articleId).orderBy('term').orderBy('id').execute();
}

export function findEntry(db: Executor, id: number): Promise<LexiconEntryRow | undefined> {
  return db.selectFrom('lexicon_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface EntryValues {
  articleId: number;
  term: string;
  respelling: string;
  caseSensitive: boolean;
  wholeWord: boolean;
}

/** Adds the entry, or replaces the one with the same term in the same lexicon. */
export async function upsertEntry(db: Executor, v: EntryValues): Promise<void> {
  const now = new Date().toISOString();
  const values = { respelling: v.respelling, case_sensitive: v.caseSensitive ? 1 : 0, whole_word: v.wholeWord ? 1 : 0, updated_at: now };
  await db
    .insertInto('lexicon_entries')
    .values({ article_id: v.articleId, term: v.term, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['article_id', 'term']).doUpdateSet(values))
    .execute();
}

export async function deleteEntry(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('lexicon_entries').where('id', '=', id).execute();
}

/** Published articles whose text mentions a term (any case): the narrations a lexicon change may alter. */
export async function articlesMentioning(db: Executor, terms: string[]): Promise<number[]> {
  if (terms.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .select('id')
    .where('status', '=', 'published')
    .where((eb) =>
      eb.or(
        terms.flatMap((t) => {
          // "%" or "_" in a term only widens the match: an extra narration finds its paragraphs cached.
          const like = `%${t.toLowerCase()}%`;
          return (['headline', 'standfirst', 'body_md'] as const).map((col) => eb(eb.fn('lower', [col]), 'like', eb.val(like)));
        }),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}
