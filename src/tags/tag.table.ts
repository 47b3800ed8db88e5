import type { Generated, Selectable } from 'kysely';

export interface TagTable {
  id: Generated<number>;
  slug: string;
  name: string;
}
export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
}
export type Tag = Selectable<TagTable>;
