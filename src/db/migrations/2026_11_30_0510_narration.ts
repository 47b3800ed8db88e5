import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('narrations')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text')
    .addColumn('file', 'text')
    .addColumn('bytes', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('timings', 'text')
    .addColumn('segments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('engine', 'text')
    .addColumn('voice', 'text')
    .addColumn('error', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('narrations_ready').on('narrations').columns(['status', 'ready_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('narrations').execute();
}
