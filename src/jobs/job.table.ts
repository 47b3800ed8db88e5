import type { Generated, Selectable } from 'kysely';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobTable {
  id: Generated<number>;
  type: string;
  /** JSON. */
  payload: string;
  /** Jobs with the same key are one piece of work: enqueueing again while one waits does not add another. */
  dedupe_key: string | null;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  /** ISO 8601 UTC: not before this time (back-off after a failure, or a delay asked for). */
  run_at: string;
  /** While running: another runner may take the job over after this time (its runner died). */
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
export type JobRow = Selectable<JobTable>;
