import type { EngineInfo } from './engine.types.js';
import type { ScriptInput, ScriptParagraph } from './narration.script.js';

/** One paragraph to speak and encode into its own MP3 segment. */
export interface SegmentJob {
  engine: string;
  voice: string;
  rate: number;
  /** Spoken (normalised) sentences, in order. */
  sentences: string[];
  /** Silence after the paragraph, so paragraphs are heard as paragraphs. */
  pauseMs: number;
  /** Silence added between its sentences, beyond the engine's own (none when left out). */
  sentencePauseMs?: number;
  /** Where to write the MP3 (written atomically). */
  out: string;
}

export interface SegmentResult {
  /** The segment's playing time, counted from its MP3 frames. */
  durationMs: number;
  bytes: number;
  /** When each sentence is heard, from the start of the segment. */
  sentenceStartsMs: number[];
  /** Length of the speech itself and the time it took to make, for the real-time factor. */
  audioMs: number;
  synthMs: number;
}

/** Segment files joined, in order, into one MP3 file (written atomically). */
export interface JoinJob {
  segments: string[];
  out: string;
}

export interface JoinResult {
  bytes: number;
  /** Counted from the joined file's MP3 frames. */
  durationMs: number;
}

export type HostRequest =
  | { id: number; op: 'script'; input: ScriptInput }
  | { id: number; op: 'segment'; job: SegmentJob }
  | { id: number; op: 'join'; job: JoinJob }
  | { id: number; op: 'wav'; job: Omit<SegmentJob, 'out' | 'pauseMs'> & { out: string } }
  | { id: number; op: 'engines' }
  | { id: number; op: 'stats' };

export interface HostStats {
  maxRssBytes: number;
}

export type HostResponse =
  | { id: number; ok: true; result: ScriptParagraph[] | SegmentResult | JoinResult | EngineInfo[] | HostStats | { durationMs: number } }
  | { id: number; ok: false; error: string };
