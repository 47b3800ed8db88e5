import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.js';

/** Every Redis channel Gazette publishes purge nudges on starts with this. */
export const CHANNEL_PREFIX = 'gazette:events:';

/**
 * The Redis channel of this site's purge nudges, named after the random id made with its
 * database: every instance of the site reaches it, whatever address it uses for the database,
 * and two sites sharing one Redis server never nudge each other.
 */
export async function siteChannel(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM site_identity ORDER BY created_at LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('the database has no site identity (run `gazette migrate`)');
  return `${CHANNEL_PREFIX}${rows[0].id}`;
}
