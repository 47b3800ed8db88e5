import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// The sitemap index names one article sitemap per range of 10,000 ids with the newest change in
// it; this index answers that from its own entries, without reading a single article row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_sitemap').on('articles').columns(['status', 'id', 'modified_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_sitemap').execute();
}
