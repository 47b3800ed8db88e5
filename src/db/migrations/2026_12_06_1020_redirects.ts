import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Old addresses that now live elsewhere: an article whose slug or section changed, or a path an
// administrator (or an importer) points at a new one. Looked up by the old path when a request
// finds no page, and by the new path when an address moves again (chains collapse to one hop).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('redirects')
    .$call((t: any) =>
      pg
        ? t.addColumn('id', 'serial', (c: any) => c.primaryKey())
        : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()),
    )
    .addColumn('from_path', 'text', (c: any) => c.notNull())
    .addColumn('to_path', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('redirects_from').on('redirects').column('from_path').unique().execute();
  await db.schema.createIndex('redirects_to').on('redirects').column('to_path').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('redirects').execute();
}
