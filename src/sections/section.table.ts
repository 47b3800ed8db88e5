import type { Generated, Selectable } from 'kysely';

export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
}
export type Section = Selectable<SectionTable>;
