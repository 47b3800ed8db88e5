import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { createNarrator } from '../narration/narration.setup.js';
import type { JobHandler } from './job.runner.js';

export interface JobHandlerSet {
  handlers: Record<string, JobHandler>;
  /** Releases what the handlers hold (child processes, connections). */
  close(): void;
}

/** Every job type this program knows how to run. A feature with background work adds its handlers here. */
export function allJobHandlers(deps: { db: Kysely<Database>; dataDir: string }): JobHandlerSet {
  const narrator = createNarrator({ db: deps.db, dataDir: deps.dataDir });
  return {
    handlers: { ...narrator.handlers },
    close() {
      narrator.close();
    },
  };
}
