import { sql } from 'kysely';
import type { Executor } from '../events.js';
import type { Redirect } from './redirect.table.js';

export async function findRedirectFrom(db: Executor, fromPath: string): Promise<Redirect | undefined> {
  return db.selectFrom('redirects').selectAll().where('from_path', '=', fromPath).executeTakeFirst();
}

export async function findRedirectById(db: Executor, id: number): Promise<Redirect | undefined> {
  return db.selectFrom('redirects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `%`, `_` and the escape character itself taken literally in a LIKE pattern. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `column LIKE pattern` with backslash as the escape on both databases (SQLite has none by default). */
const like = (column: string, pattern: string) => sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
/** The same, whatever the case (PostgreSQL's LIKE minds it, SQLite's does not for ASCII). */
const likeAnyCase = (column: string, pattern: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern.toLowerCase()} escape '\\'`;

/** The redirects whose target is this path (with or without a query). */
export async function redirectsTo(db: Executor, path: string): Promise<Redirect[]> {
  return db
    .selectFrom('redirects')
    .selectAll()
    .where((eb) => eb.or([eb('to_path', '=', path), like('to_path', `${likeLiteral(path)}?%`)]))
    .execute();
}

export interface RedirectPage {
  rows: (Redirect & { headline: string | null })[];
  more: boolean;
}

/** Newest first, `size` a page; `q` matches anywhere in either path. */
export async function listRedirects(db: Executor, opts: { q: string; page: number; size: number }): Promise<RedirectPage> {
  let query = db
    .selectFrom('redirects')
    .leftJoin('articles', 'articles.id', 'redirects.article_id')
    .selectAll('redirects')
    .select('articles.headline as headline');
  if (opts.q) {
    const pattern = `%${likeLiteral(opts.q)}%`;
    query = query.where((eb) => eb.or([likeAnyCase('redirects.from_path', pattern), likeAnyCase('redirects.to_path', pattern)]));
  }
  const rows = await query
    .orderBy('redirects.updated_at', 'desc')
    .orderBy('redirects.id', 'desc')
    .limit(opts.size + 1)
    .offset((opts.page - 1) * opts.size)
    .execute();
  return { rows: rows.slice(0, opts.size), more: rows.length > opts.size };
}

export async function insertRedirect(
  trx: Executor,
  row: { from: string; to: string; articleId: number | null; createdBy: number | null; now: string },
): Promise<number> {
  const inserted = await trx
    .insertInto('redirects')
    .values({
      from_path: row.from,
      to_path: row.to,
      article_id: row.articleId,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function setRedirectTarget(trx: Executor, id: number, to: string, now: string): Promise<void> {
  await trx.updateTable('redirects').set({ to_path: to, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteRedirectById(trx: Executor, id: number): Promise<number> {
  const r = await trx.deleteFrom('redirects').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes the redirect from this path (if `to` is given, only when it points there). */
export async function deleteRedirectFrom(trx: Executor, fromPath: string, to?: string): Promise<number> {
  let q = trx.deleteFrom('redirects').where('from_path', '=', fromPath);
  if (to !== undefined) q = q.where('to_path', '=', to);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
