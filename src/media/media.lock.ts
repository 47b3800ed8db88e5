import { sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';

// The first of the two keys of PostgreSQL's advisory locks, naming "media files" (any constant unique to this use).
const MEDIA_FILES_LOCK = 0x6d656469;

/**
 * Holds, until the transaction ends, the lock on the files of one content hash. Files are shared
 * by content: whoever removes them (a delete) and whoever relies on them being there (an upload
 * that stores a row for them) takes this lock first, checks the rows under it, and only then
 * touches the files. On PostgreSQL an advisory transaction lock; on SQLite a write to the media
 * table (a transaction holds the database's write lock from its first write; within one process
 * transactions already run one at a time).
 */
export async function lockMediaFiles(trx: Executor, hash: string): Promise<void> {
  if (dialectOf(trx) === 'postgres') {
    const key = Number.parseInt(hash.slice(0, 8), 16) | 0;
    await sql`select pg_advisory_xact_lock(${MEDIA_FILES_LOCK}, ${key})`.execute(trx);
  } else {
    await trx.updateTable('media').set({ hash }).where('hash', '=', hash).execute();
  }
}

/** Whether a library row still uses the files of `hash` (call under lockMediaFiles). */
export async function mediaFilesInUse(trx: Executor, hash: string): Promise<boolean> {
  return (await trx.selectFrom('media').select('id').where('hash', '=', hash).executeTakeFirst()) !== undefined;
}
