import { randomBytes } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { claimJob, completeJob, failJob, pruneDoneJobs, renewLock } from './job.repo.js';
import type { JobRow } from './job.table.js';

/** Does one job. Throwing retries it later (with back-off); throwing `PermanentJobError` fails it for good. */
export type JobHandler = (payload: any, job: JobRow) => Promise<void>;

/** A failure that retrying cannot fix (the input is wrong, the thing is gone). */
export class PermanentJobError extends Error {}

export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this runner. */
  concurrency?: number;
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  /** A running job's lock; renewed while it runs, so only a dead runner's jobs are taken over. */
  lockMs?: number;
  /** Milliseconds to wait before attempt `attempt + 1`. */
  backoff?: (attempt: number) => number;
  log?: JobLog;
}

export interface JobRunner {
  /** Runs every due job now and resolves when none is left (for the CLI and tests). */
  runDue(): Promise<number>;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** Exponential back-off with jitter: about 5 s, 10 s, 20 s… capped at an hour. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(5000 * 2 ** Math.max(0, attempt - 1), 3600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Each finished attempt, for whoever listens (the metrics, src/ops/metrics.ts); costs nothing when nobody does. */
export const jobFinished = channel('gazette.job.finished');
export interface JobFinished {
  type: string;
  seconds: number;
  /** done, retry (failed, will run again) or failed (for good). */
  outcome: 'done' | 'retry' | 'failed';
}

const silent: JobLog = { info: () => undefined, error: () => undefined };

function finished(type: string, started: number, outcome: JobFinished['outcome']) {
  if (jobFinished.hasSubscribers) jobFinished.publish({ type, seconds: (Date.now() - started) / 1000, outcome } satisfies JobFinished);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Creates a runner for the given job types. `start()` is separate so the CLI and tests can drive it by hand. */
export function createJobRunner(opts: JobRunnerOptions): JobRunner & { start(): void } {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const types = Object.keys(opts.handlers);
  const concurrency = opts.concurrency ?? 1;
  const lockMs = opts.lockMs ?? 60_000;
  const backoff = opts.backoff ?? defaultBackoff;
  const log = opts.log ?? silent;
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Polling only after start(): runDue() alone (CLI, tests) never leaves a timer behind.
  let polling = false;
  let lastPrune = 0;

  async function execute(job: JobRow): Promise<void> {
    const heartbeat = setInterval(() => void renewLock(opts.db, job.id, workerId, lockMs).catch(() => undefined), lockMs / 3);
    heartbeat.unref();
    const started = Date.now();
    try {
      if (job.attempts > job.max_attempts) throw new PermanentJobError(`gave up after ${job.max_attempts} attempts`);
      await opts.handlers[job.type](JSON.parse(job.payload), job);
      await completeJob(opts.db, job.id, workerId);
      log.info({ job: job.id, type: job.type, ms: Date.now() - started }, 'job done');
      finished(job.type, started, 'done');
    } catch (error) {
      const permanent = error instanceof PermanentJobError || job.attempts >= job.max_attempts;
      const retryIn = permanent ? null : backoff(job.attempts);
      log.error({ job: job.id, type: job.type, attempt: job.attempts, err: error, retryIn }, 'job failed');
      finished(job.type, started, permanent ? 'failed' : 'retry');
      await failJob(opts.db, job.id, workerId, describe(error), retryIn).catch((e) =>
        log.error({ err: e }, 'could not record a job failure'),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Claims and starts jobs while there is room; resolves once it has started what it could. */
  async function fill(): Promise<number> {
    let started = 0;
    while (!stopped && running.size < concurrency) {
      const job = await claimJob(opts.db, { types, workerId, lockMs });
      if (!job) break;
      started++;
      const p = execute(job).finally(() => {
        running.delete(p);
        if (!stopped) schedule(0);
      });
      running.add(p);
    }
    return started;
  }

  function schedule(ms: number) {
    if (stopped || !polling) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  }

  async function tick() {
    try {
      await fill();
      if (Date.now() - lastPrune > 3600_000) {
        lastPrune = Date.now();
        await pruneDoneJobs(opts.db, new Date(Date.now() - 7 * 86400_000));
      }
    } catch (error) {
      log.error({ err: error }, 'job runner could not poll');
    }
    schedule(opts.pollMs ?? 1000);
  }

  return {
    start() {
      stopped = false;
      polling = true;
      schedule(0);
    },
    wake() {
      schedule(0);
    },
    async runDue() {
      let total = 0;
      for (;;) {
        const started = await fill();
        total += started;
        if (running.size === 0) return total;
        await Promise.race(running);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
