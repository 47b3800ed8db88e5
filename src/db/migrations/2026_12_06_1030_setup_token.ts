import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// The one-time link that creates the first admin of an empty install. Only the SHA-256 of its
// secret is stored, in the database so that every server process accepts the link one of them
// printed; the row goes when the first admin exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('setup_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('setup_tokens').execute();
}
