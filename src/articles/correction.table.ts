import type { Generated, Selectable } from 'kysely';

/** A public correction note appended to a published article. Never edited or deleted by the newsroom. */
export interface CorrectionTable {
  id: Generated<number>;
  article_id: number;
  body: string;
  user_id: number | null;
  actor_name: string;
  created_at: string;
}
export type CorrectionRow = Selectable<CorrectionTable>;
