import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Newsletter lists, the readers who subscribe (double opt-in) and which lists each one takes.
// A fresh install has the daily briefing (`daily`) and breaking news (`breaking`).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .createTable('newsletter_lists')
    .$call(id)
    .addColumn('slug', 'text', (c: any) => c.notNull())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('section_id', 'integer')
    .addColumn('kind', 'text', (c: any) => c.notNull().defaultTo('custom'))
    .addColumn('auto_mode', 'text', (c: any) => c.notNull().defaultTo('off'))
    .addColumn('digest_time', 'text', (c: any) => c.notNull().defaultTo('07:00'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('newsletter_lists_slug').on('newsletter_lists').column('slug').unique().execute();

  await db.schema
    .createTable('subscribers')
    .$call(id)
    .addColumn('email', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('pending'))
    .addColumn('link_key', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('bounced_at', 'text')
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('subscribers_email').on('subscribers').column('email').unique().execute();
  await db.schema.createIndex('subscribers_status').on('subscribers').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('subscriber_id', 'integer', (c: any) => c.notNull())
    .addColumn('list_id', 'integer', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['subscriber_id', 'list_id'])
    .execute();
  await db.schema.createIndex('subscriptions_list').on('subscriptions').columns(['list_id', 'subscriber_id']).execute();

  const now = new Date().toISOString();
  await db
    .insertInto('newsletter_lists')
    .values([
      {
        slug: 'daily',
        name: 'The daily briefing',
        description: 'The day’s most important stories, every morning.',
        kind: 'daily',
        auto_mode: 'off',
        digest_time: '07:00',
        created_at: now,
        updated_at: now,
      },
      {
        slug: 'breaking',
        name: 'Breaking news',
        description: 'An alert when a major story breaks.',
        kind: 'breaking',
        auto_mode: 'off',
        digest_time: '07:00',
        created_at: now,
        updated_at: now,
      },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscriptions').execute();
  await db.schema.dropTable('subscribers').execute();
  await db.schema.dropTable('newsletter_lists').execute();
}
