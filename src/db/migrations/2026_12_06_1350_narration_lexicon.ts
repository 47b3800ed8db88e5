import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// The narration's pronunciation lexicon: a word or phrase and how to say it (a respelling the
// speech engine reads well). `article_id` 0 is the site-wide lexicon; any other id is an override
// for that article alone.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('lexicon_entries')
    .$call((t: any) =>
      pg
        ? t.addColumn('id', 'serial', (c: any) => c.primaryKey())
        : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()),
    )
    .addColumn('article_id', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('term', 'text', (c: any) => c.notNull())
    .addColumn('respelling', 'text', (c: any) => c.notNull())
    .addColumn('case_sensitive', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('whole_word', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('lexicon_entries_term').on('lexicon_entries').columns(['article_id', 'term']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lexicon_entries').execute();
}
