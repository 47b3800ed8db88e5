import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import type { JobRow } from './job.table.js';

export interface EnqueueInput {
  type: string;
  payload?: Record<string, unknown>;
  /** One piece of work: while a job with this key waits, enqueueing again refreshes it instead of adding one. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job; call it with the transaction of the change that needs it, so both commit or neither does. */
export async function enqueueJob(trx: Executor, input: EnqueueInput, now = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  const runAt = (input.runAt ?? now).toISOString();
  const payload = JSON.stringify(input.payload ?? {});
  if (input.key) {
    const waiting = await trx
      .selectFrom('jobs')
      .select('id')
      .where('dedupe_key', '=', input.key)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (waiting) {
      await trx
        .updateTable('jobs')
        .set({ payload, run_at: runAt, attempts: 0, last_error: null, updated_at: nowIso })
        .where('id', '=', waiting.id)
        .execute();
      return waiting.id;
    }
  }
  const row = await trx
    .insertInto('jobs')
    .values({
      type: input.type,
      payload,
      dedupe_key: input.key ?? null,
      status: 'queued',
      attempts: 0,
      max_attempts: input.maxAttempts ?? 5,
      run_at: runAt,
      locked_until: null,
      locked_by: null,
      last_error: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes the next due job of the given types for this runner, atomically: a queued job whose time
 * has come, or a running one whose runner stopped renewing its lock (it crashed).
 */
export async function claimJob(
  db: Kysely<Database>,
  opts: { types: string[]; workerId: string; lockMs: number; now?: Date },
): Promise<JobRow | undefined> {
  if (opts.types.length === 0) return undefined;
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  let next = db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', opts.types)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowIso)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);
  // PostgreSQL: several runners claim concurrently; SQLite serialises writers by itself.
  if (dialectOf(db) === 'postgres') next = next.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      locked_until: new Date(now.getTime() + opts.lockMs).toISOString(),
      locked_by: opts.workerId,
      updated_at: nowIso,
    }))
    .where('id', '=', next)
    .returningAll()
    .executeTakeFirst();
}

/** Keeps a long job's lock while its runner is alive. */
export async function renewLock(db: Kysely<Database>, id: number, workerId: string, lockMs: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + lockMs).toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

export async function completeJob(db: Kysely<Database>, id: number, workerId: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', locked_until: null, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Records a failure: the job waits `retryInMs` and runs again, or has failed for good (`retryInMs` null). */
export async function failJob(db: Kysely<Database>, id: number, workerId: string, error: string, retryInMs: number | null): Promise<void> {
  const now = Date.now();
  await db
    .updateTable('jobs')
    .set({
      status: retryInMs === null ? 'failed' : 'queued',
      run_at: new Date(now + (retryInMs ?? 0)).toISOString(),
      locked_until: null,
      last_error: error.slice(0, 2000),
      updated_at: new Date(now).toISOString(),
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Forgets finished jobs older than the cut-off (failed ones stay for the newsroom to see). */
export async function pruneDoneJobs(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('updated_at', '<', olderThan.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findJobs(
  db: Executor,
  opts: { key?: string; type?: string; status?: JobRow['status']; limit?: number },
): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (opts.key) q = q.where('dedupe_key', '=', opts.key);
  if (opts.type) q = q.where('type', '=', opts.type);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 50)
    .execute();
}

/** How many jobs wait, run or have failed, by type (finished ones are left out): read by the metrics. */
export async function countJobs(db: Executor): Promise<{ type: string; status: JobRow['status']; n: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['type', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('status', 'in', ['queued', 'running', 'failed'])
    .groupBy(['type', 'status'])
    .execute();
  return rows.map((row) => ({ type: row.type, status: row.status, n: Number(row.n) }));
}
