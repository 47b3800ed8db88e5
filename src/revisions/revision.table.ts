import type { Generated, Selectable } from 'kysely';

/** One saved state of an article: who saved it, when, and every field. */
export interface RevisionTable {
  id: Generated<number>;
  article_id: number;
  /** 1, 2, 3… per article. */
  number: number;
  user_id: number | null;
  actor_name: string;
  /** What happened: "Saved", "Published", "Restored revision 3"… */
  note: string;
  /** JSON: RevisionSnapshot */
  snapshot: string;
  created_at: string;
}
export type RevisionRow = Selectable<RevisionTable>;
