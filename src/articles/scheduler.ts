import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { publishDue } from './article.service.js';

/**
 * Publishes scheduled articles when their time comes. It runs once at start (catching up on
 * anything that fell due while the server was down), then on a short interval.
 */
export function startScheduler(
  db: Kysely<Database>,
  opts: { intervalMs: number; onPublished?: (ids: number[]) => void; onError?: (error: unknown) => void },
): { stop(): void; tick(): Promise<number[]> } {
  let running = false;
  const tick = async () => {
    if (running) return [];
    running = true;
    try {
      const ids = await publishDue(db);
      if (ids.length) opts.onPublished?.(ids);
      return ids;
    } catch (error) {
      opts.onError?.(error);
      return [];
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
