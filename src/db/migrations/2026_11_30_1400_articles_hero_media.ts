import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// The media library asks which of a page of images are heroes of an article, and deleting an image
// asks whether any article uses it: both by `hero_media_id`, which no index served (a read of every
// article: 70 ms at 100,000 articles).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_hero_media').on('articles').column('hero_media_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_hero_media').execute();
}
