import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// The newsroom: who created an article (a staff account or an API token), every saved revision
// of an article, the public corrections appended to published articles, author photos, who
// uploaded an image.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('articles').addColumn('created_by', 'integer').execute();
  await db.schema.alterTable('articles').addColumn('created_by_token', 'integer').execute();
  await db.schema.createIndex('articles_modified').on('articles').columns(['modified_at', 'id']).execute();
  await db.schema.createIndex('articles_created_by').on('articles').columns(['created_by', 'modified_at']).execute();
  await db.schema.alterTable('people').addColumn('photo_media_id', 'integer').execute();
  await db.schema.alterTable('media').addColumn('uploaded_by', 'integer').execute();

  await id(db.schema.createTable('article_revisions'))
    .addColumn('article_id', 'integer', (c: any) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c: any) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('actor_name', 'text', (c: any) => c.notNull())
    .addColumn('note', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('snapshot', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('article_revisions_article').on('article_revisions').columns(['article_id', 'number']).unique().execute();

  await id(db.schema.createTable('article_corrections'))
    .addColumn('article_id', 'integer', (c: any) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('body', 'text', (c: any) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('actor_name', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('article_corrections_article').on('article_corrections').columns(['article_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_corrections').execute();
  await db.schema.dropTable('article_revisions').execute();
  await db.schema.dropIndex('articles_created_by').execute();
  await db.schema.dropIndex('articles_modified').execute();
  await db.schema.alterTable('media').dropColumn('uploaded_by').execute();
  await db.schema.alterTable('people').dropColumn('photo_media_id').execute();
  await db.schema.alterTable('articles').dropColumn('created_by_token').execute();
  await db.schema.alterTable('articles').dropColumn('created_by').execute();
}
