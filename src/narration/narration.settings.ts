import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { type SiteSettings, saveSettings } from '../settings/settings.service.js';
import { engineInfo } from './engine.registry.js';

export interface NarrationSettingsInput {
  enabled: boolean;
  engine: string;
  voice: string;
  rate: number;
}

/**
 * Validates and saves the narration settings. Articles are narrated with the new voice the next
 * time they are narrated (an edit, "narrate again", or `gazette narrate --all`).
 */
export async function saveNarrationSettings(trx: Executor, input: NarrationSettingsInput): Promise<Partial<SiteSettings>> {
  const engine = engineInfo().find((e) => e.id === input.engine);
  if (!engine) throw invalid('Choose one of the listed speech engines.', 'engine');
  if (!engine.available) throw invalid(`The ${engine.id} engine is not installed on this server.`, 'engine');
  if (!engine.voices.includes(input.voice)) throw invalid(`The ${engine.id} engine has no voice "${input.voice}".`, 'voice');
  if (!Number.isFinite(input.rate) || input.rate < 0.5 || input.rate > 2) throw invalid('The speaking rate is from 0.5 to 2.', 'rate');
  const changes = {
    narrationEnabled: input.enabled,
    narrationEngine: engine.id,
    narrationVoice: input.voice,
    narrationRate: Math.round(input.rate * 100) / 100,
  };
  await saveSettings(trx, changes);
  return changes;
}
