import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// The newsroom lists articles most recently changed first, often narrowed to a status or a
// section. Only (modified_at, id) served that order, and SQLite's sampled statistics rate a status
// as rare, so a list of published articles was read through the status index and every published
// article sorted: 240 ms at 100,000 articles. With the filter column first, each list is one index
// range already in order.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_status_modified').on('articles').columns(['status', 'modified_at', 'id']).execute();
  await db.schema.createIndex('articles_section_modified').on('articles').columns(['section_id', 'modified_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_status_modified').execute();
  await db.schema.dropIndex('articles_section_modified').execute();
}
