import type { Generated, Selectable } from 'kysely';

/** One thing an import brought in: where it came from and the Gazette row it became. */
export interface ImportMapTable {
  id: Generated<number>;
  source: 'wordpress' | 'ghost';
  /** 'post' | 'page' | 'comment' | 'media' … */
  kind: string;
  source_id: string;
  target_id: number;
  /** Hash of what was read last time: unchanged input is skipped on a re-run. */
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

export type ImportRunStatus = 'previewed' | 'queued' | 'running' | 'done' | 'failed';

/** An import started from the newsroom: its uploaded files, options, progress and final report. */
export interface ImportRunTable {
  id: Generated<number>;
  source: 'wordpress' | 'ghost';
  status: ImportRunStatus;
  /** Where the uploaded export is kept (inside the data folder). */
  file_path: string;
  /** The name it was uploaded under (shown, never used as a path). */
  file_name: string;
  media_path: string | null;
  /** JSON: ImportOptions without the files. */
  options: string;
  /** JSON: ImportProgress. */
  progress: string;
  /** JSON: ImportReport (the preview's, then the run's). */
  report: string | null;
  error: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type ImportMapRow = Selectable<ImportMapTable>;
export type ImportRun = Selectable<ImportRunTable>;
