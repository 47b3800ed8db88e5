import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// A sitemap's `lastmod` is the newest change readers saw on its articles (publication, or a later
// update), the same instant as their pages' `dateModified`; `modified_at` also moves for changes
// readers never see (a bulk load). The index now holds those dates, so the sitemap index is still
// answered from its entries without reading article rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('articles_sitemap_dates')
    .on('articles')
    .columns(['status', 'id', 'published_at', 'updated_at', 'modified_at'])
    .execute();
  await db.schema.dropIndex('articles_sitemap').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_sitemap').on('articles').columns(['status', 'id', 'modified_at']).execute();
  await db.schema.dropIndex('articles_sitemap_dates').execute();
}
