import type { Selectable } from 'kysely';

export const NARRATION_STATUSES = ['queued', 'running', 'ready', 'failed', 'off'] as const;
export type NarrationStatus = (typeof NARRATION_STATUSES)[number];

/** One row per article: its current narration (file, duration, timings) and the state of the latest request. */
export interface NarrationTable {
  article_id: number;
  /** State of the latest request; `file` keeps serving the last ready audio meanwhile. */
  status: NarrationStatus;
  /** Hash of everything that shapes the audio (spoken text, engine, voice, rate): equal hash, no new narration. */
  text_hash: string | null;
  /** File name under the audio folder: `{article}-{hash}.mp3`. */
  file: string | null;
  bytes: number | null;
  duration_ms: number | null;
  /** JSON `NarrationTimings`: where each paragraph and sentence starts, for follow-along. */
  timings: string | null;
  /** JSON array of the paragraph segment hashes the file is made of (for cache clean-up). */
  segments: string;
  engine: string | null;
  voice: string | null;
  /** Why the latest attempt failed (shown in the newsroom). */
  error: string | null;
  requested_at: string;
  ready_at: string | null;
  updated_at: string;
}
export type NarrationRow = Selectable<NarrationTable>;
