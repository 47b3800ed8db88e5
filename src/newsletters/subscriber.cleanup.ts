import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { startTicker } from '../jobs/ticker.js';
import { expirePending } from './subscriber.service.js';

/** How often unconfirmed sign-ups past their 7 days are looked for. */
export const CLEANUP_MS = 3_600_000;

/**
 * Deletes unconfirmed newsletter sign-ups older than the confirmation window: at start, then
 * hourly (a background duty: one instance runs it). Each pass deletes at most 1000, so a
 * backlog goes in short transactions.
 */
export function startSignupCleanup(db: Kysely<Database>, onError: (err: unknown) => void, intervalMs = CLEANUP_MS): { stop(): void } {
  const pass = async (): Promise<number[]> => {
    let deleted = 0;
    for (let i = 0; i < 100; i++) {
      const n = await db.transaction().execute((trx) => expirePending(trx));
      deleted += n;
      if (n < 1000) break;
    }
    return deleted ? [deleted] : [];
  };
  return startTicker(pass, { intervalMs, onError });
}
