import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Webhooks: the endpoints administrators register (an address, the events it wants, its signing
// secret) and one delivery row per event and endpoint, which the delivery job sends, retries with
// back-off and keeps as the endpoint's log.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());
  await db.schema
    .createTable('webhook_endpoints')
    .$call(id)
    .addColumn('url', 'text', (c: any) => c.notNull())
    .addColumn('events', 'text', (c: any) => c.notNull())
    .addColumn('secret', 'text', (c: any) => c.notNull())
    .addColumn('enabled', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addColumn('failing_since', 'text')
    .addColumn('disabled_reason', 'text')
    .execute();
  await db.schema.createIndex('webhook_endpoints_enabled').on('webhook_endpoints').column('enabled').execute();
  await db.schema
    .createTable('webhook_deliveries')
    .$call(id)
    .addColumn('endpoint_id', 'integer', (c: any) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c: any) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('payload', 'text', (c: any) => c.notNull())
    .addColumn('msg_id', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('response_code', 'integer')
    .addColumn('response_excerpt', 'text')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
