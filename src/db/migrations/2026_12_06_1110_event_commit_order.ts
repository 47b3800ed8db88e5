import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// On PostgreSQL an event's id is taken when it is inserted but the row appears when its
// transaction commits, so ids do not arrive in order. Each event now records the id of the
// transaction that wrote it (set by the database, so no insert changes), which the purge poller
// compares with a snapshot's horizon to read every event exactly once, however late it commits.
// The default is set after the column is added: existing rows stay NULL and the table is not
// rewritten. SQLite commits one writer at a time, in id order: nothing to add there.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`ALTER TABLE events ADD COLUMN txid bigint`.execute(db);
  await sql`ALTER TABLE events ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text)::bigint`.execute(db);
  await sql`CREATE INDEX events_txid ON events (txid, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`DROP INDEX IF EXISTS events_txid`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN txid`.execute(db);
}
