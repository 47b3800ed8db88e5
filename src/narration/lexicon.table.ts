import type { Generated, Selectable } from 'kysely';

/** One pronunciation: `term` (a word or phrase as written) is read as `respelling`. */
export interface LexiconEntryTable {
  id: Generated<number>;
  /** 0: the site-wide lexicon; otherwise an override for this article only. */
  article_id: number;
  term: string;
  respelling: string;
  /** 1: "US" matches "US" only; 0: any case. */
  case_sensitive: number;
  /** 1: only whole words ("Kyiv" not inside "Kyivan"); 0: anywhere. */
  whole_word: number;
  created_at: string;
  updated_at: string;
}
export type LexiconEntryRow = Selectable<LexiconEntryTable>;
