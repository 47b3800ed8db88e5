import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Executor } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import type { JobHandler } from '../jobs/job.runner.js';
import { storeAt } from '../storage/storage.js';
import { AUDIO_FILE_PATTERN, audioDir } from './narration.files.js';

export const RETIRE_AUDIO_JOB = 'narration.retire';

/**
 * How long a replaced MP3 is kept. Cached pages (60 s, then up to 10 min stale), a CDN's copy and
 * open tabs still point at the old file after an edit: a day covers every cache and most tabs; a
 * tab older than that shows the player's "could not load" message.
 */
export const RETIRED_AUDIO_KEPT_MS = 24 * 60 * 60 * 1000;

/** Queues the removal of a replaced audio file once no page can still point at it. */
export async function retireAudio(trx: Executor, file: string, now = new Date()): Promise<void> {
  await enqueueJob(
    trx,
    { type: RETIRE_AUDIO_JOB, key: `retire:${file}`, payload: { file }, runAt: new Date(now.getTime() + RETIRED_AUDIO_KEPT_MS) },
    now,
  );
}

/** Removes a retired file, unless a narration uses it again (an edit undone gives back the same name). */
export function retireAudioHandler(db: Kysely<Database>, dataDir: string): JobHandler {
  return async (payload: { file?: string }) => {
    const file = payload.file;
    if (!file || !AUDIO_FILE_PATTERN.test(file)) return;
    const used = await db.selectFrom('narrations').select('article_id').where('file', '=', file).executeTakeFirst();
    if (!used) await storeAt(audioDir(dataDir)).delete(file);
  };
}
