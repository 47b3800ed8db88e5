import type { EngineInfo, SpeechEngine } from './engine.types.js';
import { festivalEngine } from './festival.engine.js';
import { fliteEngine } from './flite.engine.js';

/**
 * The engines an operator can choose in the settings. Another (for instance a neural model the
 * operator supplies on disk) is one more `SpeechEngine` in this list.
 */
export const ENGINES: SpeechEngine[] = [fliteEngine, festivalEngine];

export function findEngine(id: string): SpeechEngine {
  const engine = ENGINES.find((e) => e.id === id);
  if (!engine) throw new Error(`unknown speech engine "${id}"`);
  return engine;
}

export function engineInfo(): EngineInfo[] {
  return ENGINES.map((e) => {
    const available = e.available();
    return { id: e.id, available, voices: available ? e.voices() : [], defaultVoice: e.defaultVoice };
  });
}

/**
 * A voice as the paragraph cache knows it: the voice's name, plus a mark when the same voice now
 * sounds different from audio cached before (kal16 keeps its own pace since it was given back its
 * duration stretch), so old paragraphs are not mixed with new ones.
 */
export function voiceKey(engine: string, voice: string): string {
  return engine === 'flite' && voice === 'kal16' ? `${voice}@stretch1.1` : voice;
}
