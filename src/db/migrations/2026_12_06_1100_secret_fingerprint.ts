import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// A fingerprint of GAZETTE_SECRET (an HMAC of a fixed label, never the secret), stored by the
// first instance that starts, so that an instance started with another secret refuses to run
// (its sessions, links and hashes would not agree with the others').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('secret_fingerprint')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('secret_fingerprint').execute();
}
