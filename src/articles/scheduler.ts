import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { startTicker } from '../jobs/ticker.js';
import { publishDue } from './article.service.js';

/**
 * Publishes scheduled articles when their time comes. It runs once at start (catching up on
 * anything that fell due while the server was down), then on a short interval.
 */
export function startScheduler(
  db: Kysely<Database>,
  opts: { intervalMs: number; onPublished?: (ids: number[]) => void; onError?: (error: unknown) => void },
): { stop(): void; tick(): Promise<number[]> } {
  return startTicker(() => publishDue(db), { intervalMs: opts.intervalMs, onDone: opts.onPublished, onError: opts.onError });
}
