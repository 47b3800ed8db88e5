import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events.js';
import { type JobHandler, PermanentJobError } from '../jobs/job.runner.js';
import { upsertNarration } from './narration.repo.js';

/**
 * The handler of the narration job (`NARRATION_JOB`): narrates the article, and on failure
 * records why where the newsroom sees it before the runner retries.
 */
export function narrationJobHandler(
  db: Kysely<Database>,
  narrate: (articleId: number, opts: { force?: boolean }) => Promise<unknown>,
): JobHandler {
  return async (payload: { articleId: number; force?: boolean }, job) => {
    try {
      await narrate(payload.articleId, { force: payload.force });
    } catch (error) {
      const final = error instanceof PermanentJobError || job.attempts >= job.max_attempts;
      await recordNarrationFailure(db, payload.articleId, error, final);
      throw error;
    }
  };
}

/** Records a failed attempt where the newsroom sees it; the last one also records `narration.failed`. */
async function recordNarrationFailure(db: Kysely<Database>, articleId: number, error: unknown, final: boolean) {
  const message = error instanceof Error ? error.message : String(error);
  await db.transaction().execute(async (trx) => {
    await upsertNarration(trx, articleId, { status: 'failed', error: message.slice(0, 1000) });
    if (final) await recordEvent(trx, 'narration.failed', articleId, { error: message.slice(0, 200) });
  });
}
