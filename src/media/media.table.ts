import type { Generated, Selectable } from 'kysely';

export interface MediaTable {
  id: Generated<number>;
  /** sha256 of the original bytes: the same upload twice is stored once. */
  hash: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  /** JSON: Variant[] */
  variants: string;
  created_at: string;
  /** The staff account that uploaded it. */
  uploaded_by: number | null;
}
export type Media = Selectable<MediaTable>;

export interface Variant {
  format: 'avif' | 'webp' | 'jpeg';
  width: number;
  height: number;
  path: string;
  bytes: number;
}
