import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Newsletter issues (composed by hand or made automatically) and one delivery row per recipient of
// an issue, so a send that stops mid-way and starts again mails nobody twice.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .createTable('newsletter_issues')
    .$call(id)
    .addColumn('list_id', 'integer', (c: any) => c.notNull())
    .addColumn('subject', 'text', (c: any) => c.notNull())
    .addColumn('intro', 'text', (c: any) => c.notNull().defaultTo(''))
    // JSON array of article ids, in the order the issue shows them.
    .addColumn('article_ids', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('draft'))
    // manual | breaking | on_publish | digest | cli
    .addColumn('origin', 'text', (c: any) => c.notNull().defaultTo('manual'))
    // What made an automatic issue (an article published, a day's digest): unique, so never twice.
    .addColumn('trigger_key', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addColumn('queued_at', 'text')
    .addColumn('sent_at', 'text')
    // Null until the recipients were written as delivery rows (once per issue).
    .addColumn('recipients', 'integer')
    .addColumn('sent_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('failed_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('bounced_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('newsletter_issues_list').on('newsletter_issues').columns(['list_id', 'id']).execute();
  await db.schema.createIndex('newsletter_issues_trigger').on('newsletter_issues').column('trigger_key').unique().execute();

  await db.schema
    .createTable('newsletter_deliveries')
    .$call(id)
    .addColumn('issue_id', 'integer', (c: any) => c.notNull())
    .addColumn('subscriber_id', 'integer', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // Not before this time (back-off after a temporary failure).
    .addColumn('next_attempt_at', 'text', (c: any) => c.notNull())
    // While a sender holds the row ('sending'): another sender may take it after this time.
    .addColumn('claimed_until', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('newsletter_deliveries_recipient')
    .on('newsletter_deliveries')
    .columns(['issue_id', 'subscriber_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('newsletter_deliveries_due')
    .on('newsletter_deliveries')
    .columns(['issue_id', 'status', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('newsletter_deliveries_subscriber').on('newsletter_deliveries').column('subscriber_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('newsletter_deliveries').execute();
  await db.schema.dropTable('newsletter_issues').execute();
}
