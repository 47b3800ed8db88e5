import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { allJobHandlers } from './job.handlers.js';
import { createJobRunner, type JobLog, type JobRunner } from './job.runner.js';

/** How long shutdown waits for running jobs; an unfinished job is taken over once its lock expires. */
const STOP_GRACE_MS = 10_000;

/** Starts this process's job runner with every handler (in `serve`, and alone in `gazette worker`). */
export function startJobWorker(opts: { db: Kysely<Database>; config: Config; log?: JobLog; concurrency?: number }): {
  runner: JobRunner;
  stop(): Promise<void>;
} {
  const set = allJobHandlers({ db: opts.db, dataDir: opts.config.dataDir, config: opts.config });
  const runner = createJobRunner({ db: opts.db, handlers: set.handlers, log: opts.log, concurrency: opts.concurrency });
  runner.start();
  return {
    runner,
    async stop() {
      await Promise.race([runner.stop(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
      set.close();
    },
  };
}
