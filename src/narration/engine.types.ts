import type { Pcm } from './wav.codec.js';

export interface SynthesisOptions {
  voice: string;
  /** Speaking rate: 1 is the voice's own pace, 1.2 a fifth faster. */
  rate: number;
  /** A private, writable folder for this synthesis (text in, audio out). */
  workDir: string;
}

/**
 * A text-to-speech engine. Engines run inside the synthesis host process, never in the server,
 * so that a crash in native or WebAssembly code cannot take the site down.
 */
export interface SpeechEngine {
  id: string;
  /** Whether it can run on this machine (the engine may be an optional system package). */
  available(): boolean;
  voices(): string[];
  defaultVoice: string;
  /** Synthesises one sentence (or any short text) to mono PCM. */
  synthesize(text: string, options: SynthesisOptions): Promise<Pcm>;
  /** Several sentences at once, one PCM each: for engines whose start-up dominates (festival loads its voice each run). */
  synthesizeMany?(texts: string[], options: SynthesisOptions): Promise<Pcm[]>;
}

/** What the newsroom may choose from; `available` is measured on the machine that runs the host. */
export interface EngineInfo {
  id: string;
  available: boolean;
  voices: string[];
  defaultVoice: string;
}
