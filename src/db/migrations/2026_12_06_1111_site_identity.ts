import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// A random name for this site, made once with its database. Instances that share the database
// share it, whatever address each uses to reach it; two sites sharing one Redis server tell
// their own instances about changes on channels named after it, never each other's.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_identity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('site_identity')
    .values({ id: randomBytes(12).toString('hex'), created_at: new Date().toISOString() })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_identity').execute();
}
