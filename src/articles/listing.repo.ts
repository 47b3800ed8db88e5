import { shows } from '../cache/keys.js';
import { noteKeys } from '../cache/tracker.js';
import { runCompiled, slot } from '../db/compiled.js';
import type { Executor } from '../events.js';
import type { ListingTables, ListKind } from './article.table.js';

/** One section's, author's or tag's list of published articles. */
export interface ListRef {
  kind: ListKind;
  id: number;
}

/** A place in a list: an article's publication time and id (the id orders articles published at the same time). */
export interface Cursor {
  publishedAt: string;
  id: number;
}

const withListings = (db: Executor) => db.withTables<ListingTables>();

const filterOf = (list: ListRef) =>
  list.kind === 'section' ? { sectionId: list.id } : list.kind === 'author' ? { personId: list.id } : { tagId: list.id };

/** How many published articles the list has: one row kept up to date by every change, nothing counted. */
export async function countListed(db: Executor, list: ListRef): Promise<number> {
  const row = await withListings(db)
    .selectFrom('listing_counts')
    .select('n')
    .where('kind', '=', list.kind)
    .where('list_id', '=', list.id)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * A short text that changes when the list gains or loses an article (its count and its newest
 * entry), for what is worked out from a list's contents and kept meanwhile. Two index lookups.
 */
export async function listStamp(db: Executor, list: ListRef): Promise<string> {
  const [row] = await runCompiled(
    db,
    'listing.stamp',
    (d) => countsWithNewest(d).where('c.kind', '=', slot<ListKind>(0)).where('c.list_id', '=', slot<number>(1)),
    [list.kind, list.id],
  );
  return `${list.kind}:${list.id}:${Number(row?.n ?? 0)}:${row?.newest ?? ''}`;
}

/**
 * Places in the list, read from its index range: newest first, older than `before` (or skipping
 * `offset` from the top); or, with `after`, oldest first from just newer than it.
 */
export async function seekListed(
  db: Executor,
  list: ListRef,
  opts: { before?: Cursor; after?: Cursor; offset?: number; limit: number },
): Promise<Cursor[]> {
  noteKeys(...shows.list(filterOf(list)));
  const { before, after } = opts;
  const dir = after ? 'asc' : 'desc';
  let q = withListings(db)
    .selectFrom('listings')
    .select(['published_at', 'article_id'])
    .where('kind', '=', list.kind)
    .where('list_id', '=', list.id);
  if (before) q = q.where((eb) => eb(eb.refTuple('published_at', 'article_id'), '<', eb.tuple(before.publishedAt, before.id)));
  if (after) q = q.where((eb) => eb(eb.refTuple('published_at', 'article_id'), '>', eb.tuple(after.publishedAt, after.id)));
  q = q.orderBy('published_at', dir).orderBy('article_id', dir).limit(opts.limit);
  if (opts.offset) q = q.offset(opts.offset);
  const rows = await q.execute();
  return rows.map((r) => ({ publishedAt: r.published_at, id: r.article_id }));
}

/**
 * Every list of a kind that has published articles, with its newest publication time: one row
 * of `listing_counts` and one index seek into `listings` per list, whatever the archive's size.
 */
export async function listsWithNewest(db: Executor, kind: ListKind): Promise<{ id: number; newest: string | null }[]> {
  const rows = await countsWithNewest(db).where('c.kind', '=', kind).where('c.n', '>', 0).execute();
  return rows.map((r) => ({ id: Number(r.id), newest: r.newest ?? null }));
}

/** Rows of `listing_counts`, each with its list's newest publication time (one index seek per list). */
function countsWithNewest(db: Executor) {
  return withListings(db)
    .selectFrom('listing_counts as c')
    .select([
      'c.list_id as id',
      'c.n',
      (eb) =>
        eb
          .selectFrom('listings')
          .select((e) => e.fn.max('listings.published_at').as('newest'))
          .whereRef('listings.kind', '=', 'c.kind')
          .whereRef('listings.list_id', '=', 'c.list_id')
          .as('newest'),
    ]);
}
