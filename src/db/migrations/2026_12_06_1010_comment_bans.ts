import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Bans become records a moderator can read and undo: who set one and when, when it ends, who
// lifted it and why, and the commenter and comment it came from (so the desk can say whom a hash
// belongs to). A commenter may be banned again after a lift, so (kind, value_hash) is no longer
// unique: lifted and expired rows stay as history.
//
// Rows from before: an email ban stays as it was (permanent). An address ban used to be set with
// every ban and never ended, refusing everyone behind a shared address; it now ends 24 hours after
// it was set (the new default for address bans), so most old ones are history at once, while the
// commenter stays banned by their email.

const ADDED = [
  ['expires_at', 'text'],
  ['created_by_user_id', 'integer'],
  ['created_by_name', 'text'],
  ['commenter_id', 'integer'],
  ['comment_id', 'integer'],
  ['lifted_at', 'text'],
  ['lifted_by_user_id', 'integer'],
  ['lifted_by_name', 'text'],
  ['lift_reason', 'text'],
] as const;

const REFERENCES: Record<string, string> = {
  created_by_user_id: 'users.id',
  commenter_id: 'commenters.id',
  comment_id: 'comments.id',
  lifted_by_user_id: 'users.id',
};

const define = (name: string) => (c: any) => {
  if (name === 'created_by_name') return c.notNull().defaultTo('');
  return REFERENCES[name] ? c.references(REFERENCES[name]).onDelete('set null') : c;
};

function withNewColumns(t: any) {
  let table = t;
  for (const [name, type] of ADDED) table = table.addColumn(name, type, define(name));
  return table;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await db.schema.alterTable('comment_bans').dropConstraint('comment_bans_kind_value').execute();
    for (const [name, type] of ADDED) await db.schema.alterTable('comment_bans').addColumn(name, type, define(name)).execute();
  } else {
    // SQLite cannot drop a table's UNIQUE constraint: the table is rebuilt with its rows and ids.
    await sql`ALTER TABLE comment_bans RENAME TO comment_bans_before`.execute(db);
    await withNewColumns(
      db.schema
        .createTable('comment_bans')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value_hash', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull()),
    ).execute();
    await sql`
      INSERT INTO comment_bans (id, kind, value_hash, reason, created_at)
      SELECT id, kind, value_hash, reason, created_at FROM comment_bans_before`.execute(db);
    await sql`DROP TABLE comment_bans_before`.execute(db);
  }
  await db.schema.createIndex('comment_bans_value').on('comment_bans').columns(['value_hash', 'kind']).execute();
  await db.schema.createIndex('comment_bans_created').on('comment_bans').columns(['created_at', 'id']).execute();

  const oldAddressBans = await db.selectFrom('comment_bans').select(['id', 'created_at']).where('kind', '=', 'ip').execute();
  for (const ban of oldAddressBans) {
    const set = Date.parse(ban.created_at);
    const ends = new Date((Number.isNaN(set) ? Date.now() : set) + 86_400_000).toISOString();
    await db.updateTable('comment_bans').set({ expires_at: ends }).where('id', '=', ban.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one permanent row per (kind, value_hash): history and ended bans are dropped.
  const now = new Date().toISOString();
  await db
    .deleteFrom('comment_bans')
    .where((eb) => eb.or([eb('lifted_at', 'is not', null), eb('expires_at', '<=', now)]))
    .execute();
  await sql`
    DELETE FROM comment_bans WHERE id NOT IN (SELECT MIN(id) FROM comment_bans GROUP BY kind, value_hash)`.execute(db);
  await db.schema.dropIndex('comment_bans_value').execute();
  await db.schema.dropIndex('comment_bans_created').execute();
  if (dialectOf(db) === 'postgres') {
    for (const [name] of ADDED) await db.schema.alterTable('comment_bans').dropColumn(name).execute();
    await db.schema.alterTable('comment_bans').addUniqueConstraint('comment_bans_kind_value', ['kind', 'value_hash']).execute();
    return;
  }
  await sql`ALTER TABLE comment_bans RENAME TO comment_bans_after`.execute(db);
  await db.schema
    .createTable('comment_bans')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_hash', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('comment_bans_kind_value', ['kind', 'value_hash'])
    .execute();
  await sql`
    INSERT INTO comment_bans (id, kind, value_hash, reason, created_at)
    SELECT id, kind, value_hash, reason, created_at FROM comment_bans_after`.execute(db);
  await sql`DROP TABLE comment_bans_after`.execute(db);
}
