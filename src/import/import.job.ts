import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { PermanentJobError } from '../jobs/job.runner.js';
import { ImportFormatError } from './import.model.js';
import { readExport } from './import.readers.js';
import { findRun, type RunOptions, setRunState } from './import.runs.js';
import { type ImportProgress, runImport } from './import.service.js';

/**
 * The `import.run` job: an import confirmed in the newsroom, run in the background with its
 * progress kept on the run (the progress page reads it) and its report at the end. A run that
 * fails is marked failed with its reason; it is not retried (an export does not get better).
 */
export function importJobHandler(deps: { db: Kysely<Database>; dataDir: string }) {
  return async (payload: { runId?: number }): Promise<void> => {
    const { db } = deps;
    const run = payload.runId ? await findRun(db, payload.runId) : undefined;
    if (!run) throw new PermanentJobError('the import run is gone');
    if (run.status === 'done') return;
    await setRunState(db, run.id, { status: 'running' });
    const options = JSON.parse(run.options) as RunOptions;
    const { loadSettings } = await import('../settings/settings.service.js');
    const { timeZone } = await loadSettings(db);
    let last = 0;
    const onProgress = async (progress: ImportProgress) => {
      // Often enough for the page, seldom enough for the database.
      const now = Date.now();
      if (progress.phase !== 'done' && now - last < 1000) return;
      last = now;
      await setRunState(db, run.id, { progress });
    };
    try {
      const report = await runImport(db, {
        source: run.source,
        open: () => readExport(run.source, run.file_path, { timeZone }),
        media: run.media_path ?? undefined,
        pages: options.pages,
        sectionMap: options.sectionMap,
        mediaRoot: join(deps.dataDir, 'media'),
        onProgress,
      });
      await setRunState(db, run.id, { status: 'done', report });
    } catch (error) {
      const message =
        error instanceof ImportFormatError
          ? error.message.split(run.file_path).join(run.file_name)
          : 'The import stopped on an unexpected error; nothing of the failed batch was kept.';
      await setRunState(db, run.id, { status: 'failed', error: message });
      throw new PermanentJobError(message);
    }
  };
}
