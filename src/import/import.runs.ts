import type { Executor } from '../events.js';
import type { ImportSource } from './import.model.js';
import type { ImportReport } from './import.report.js';
import type { ImportProgress } from './import.service.js';
import type { ImportRun, ImportRunStatus } from './import.table.js';

/** What the newsroom chose for an import, kept with its run. */
export interface RunOptions {
  pages: 'section' | 'skip';
  sectionMap: Record<string, string>;
}

export const IMPORT_JOB = 'import.run';

export const EMPTY_PROGRESS: ImportProgress = {
  phase: 'reading',
  articles: { done: 0, total: 0 },
  comments: { done: 0, total: 0 },
  media: { done: 0, total: 0 },
};

export async function createRun(
  db: Executor,
  input: {
    source: ImportSource;
    filePath: string;
    fileName: string;
    mediaPath: string | null;
    options: RunOptions;
    report: ImportReport;
    userId: number | null;
  },
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('import_runs')
    .values({
      source: input.source,
      status: 'previewed',
      file_path: input.filePath,
      file_name: input.fileName,
      media_path: input.mediaPath,
      options: JSON.stringify(input.options),
      progress: JSON.stringify(EMPTY_PROGRESS),
      report: JSON.stringify(input.report),
      error: null,
      created_by: input.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findRun(db: Executor, id: number): Promise<ImportRun | undefined> {
  return db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRuns(db: Executor, limit = 20): Promise<ImportRun[]> {
  return db.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** Moves a run on; `from` guards against two hands moving it at once (false: it was not in that state). */
export async function setRunState(
  db: Executor,
  id: number,
  change: { from?: ImportRunStatus; status?: ImportRunStatus; progress?: ImportProgress; report?: ImportReport; error?: string },
): Promise<boolean> {
  let q = db
    .updateTable('import_runs')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.progress ? { progress: JSON.stringify(change.progress) } : {}),
      ...(change.report ? { report: JSON.stringify(change.report) } : {}),
      ...(change.error !== undefined ? { error: change.error } : {}),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id);
  if (change.from) q = q.where('status', '=', change.from);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
