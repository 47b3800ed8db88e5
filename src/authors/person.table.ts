import type { Generated, Selectable } from 'kysely';

/** Staff people as they appear in bylines (authors). Login accounts live with the users. */
export interface PersonTable {
  id: Generated<number>;
  slug: string;
  name: string;
  bio: string;
  photo_media_id: number | null;
  created_at: string;
}
export type Person = Selectable<PersonTable>;
