import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { NARRATION_JOB } from '../narration/narration.service.js';
import { createNarrator } from '../narration/narration.setup.js';
import type { JobHandler } from './job.runner.js';

export interface JobHandlerSet {
  handlers: Record<string, JobHandler>;
  /** Releases what the handlers hold (child processes, connections). */
  close(): void;
}

/**
 * Every job type this program runs → its handler. A feature with background work adds its row
 * here (and what its handler holds to `close`).
 */
export function allJobHandlers(deps: { db: Kysely<Database>; dataDir: string }): JobHandlerSet {
  // One synthesis host for the process, started when the first narration job needs it.
  const narrator = createNarrator({ db: deps.db, dataDir: deps.dataDir });
  return {
    handlers: {
      [NARRATION_JOB]: narrator.handlers[NARRATION_JOB],
    },
    close() {
      narrator.close();
    },
  };
}
