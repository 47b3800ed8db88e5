import type { Kysely } from 'kysely';

// Frozen once merged: add a new migration instead of editing this one.
//
// An article page reads the visible replies of its threads: `root_id IN (…) AND status IN (…)`.
// With the status in the threads' index, that index matches more of the query than the
// status-and-time index used by the moderation desk, so the planner takes it even without
// statistics (with 10 million comments the other choice walks every approved comment).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_thread').on('comments').columns(['root_id', 'status', 'created_at', 'id']).execute();
  await db.schema.dropIndex('comments_root').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_root').on('comments').columns(['root_id', 'created_at', 'id']).execute();
  await db.schema.dropIndex('comments_thread').execute();
}
