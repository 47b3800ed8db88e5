import type { Generated, Selectable } from 'kysely';

/** One old address and where it now lives: both site-relative paths, stored normalised (redirect.path.ts). */
export interface RedirectTable {
  id: Generated<number>;
  /** The old path, without query or fragment; unique. */
  from_path: string;
  /** The new path, possibly with a query; never itself the `from_path` of another row (one hop). */
  to_path: string;
  /** The article whose move made this redirect, if one did. */
  article_id: number | null;
  /** The staff account that added it by hand, if one did. */
  created_by: number | null;
  created_at: string;
  updated_at: string;
}
export type Redirect = Selectable<RedirectTable>;
