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
