import type { Executor } from '../events.js';
import { toSlug } from '../text/slug.js';
import type { Tag } from './tag.table.js';

export async function findTagBySlug(db: Executor, slug: string): Promise<Tag | undefined> {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function ensureTag(trx: Executor, name: string): Promise<Tag> {
  const slug = toSlug(name);
  const existing = await findTagBySlug(trx, slug);
  if (existing) return existing;
  return trx.insertInto('tags').values({ slug, name: name.trim() }).returningAll().executeTakeFirstOrThrow();
}

/** Replaces an article's tags. */
export async function setArticleTags(trx: Executor, articleId: number, tagIds: number[]): Promise<void> {
  await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  // In id order, as every writer takes the list counters' row locks (see the listings migration).
  const unique = [...new Set(tagIds)].sort((a, b) => a - b);
  if (unique.length) {
    await trx
      .insertInto('article_tags')
      .values(unique.map((tag_id) => ({ article_id: articleId, tag_id })))
      .execute();
  }
}

export async function findTagById(db: Executor, id: number): Promise<Tag | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tags by name, a page at a time (`limit` + 1 read to tell whether more follow); `slug` picks one. */
export async function listTags(
  db: Executor,
  opts: { page: number; limit: number; slug?: string },
): Promise<{ rows: Tag[]; more: boolean }> {
  let q = db.selectFrom('tags').selectAll();
  if (opts.slug !== undefined) q = q.where('slug', '=', opts.slug);
  const rows = await q
    .orderBy('name')
    .orderBy('id')
    .limit(opts.limit + 1)
    .offset((opts.page - 1) * opts.limit)
    .execute();
  return { rows: rows.slice(0, opts.limit), more: rows.length > opts.limit };
}
