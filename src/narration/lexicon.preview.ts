import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { invalid } from '../errors.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { applyLexicon } from './lexicon.apply.js';
import { lexiconFor } from './lexicon.service.js';
import { splitSentences } from './sentence.splitter.js';
import type { SynthClient } from './synth.client.js';
import { speakable } from './text.normalizer.js';

/** The longest text a preview speaks: a sentence or two, so a preview never ties up the engine. */
export const PREVIEW_MAX = 300;

/** Checks the text to preview; returns it trimmed. */
export function previewText(raw: string): string {
  const text = raw.trim();
  if (!text) throw invalid('Type a sentence to hear.', 'text');
  if ([...text].length > PREVIEW_MAX) throw invalid(`A preview is at most ${PREVIEW_MAX} characters: try a shorter sentence.`, 'text');
  return text;
}

/**
 * A sentence as the narration would say it, with the current voice and lexicon (and the article's
 * own entries when one is named): the MP3 bytes. Synthesised in the synthesis host, like narrations.
 */
export async function previewAudio(opts: {
  db: Kysely<Database>;
  synth: SynthClient;
  settings: SiteSettings;
  text: string;
  articleId?: number;
}): Promise<Buffer> {
  const text = previewText(opts.text);
  const lexicon = await lexiconFor(opts.db, opts.articleId ?? 0);
  const sentences = splitSentences(text)
    .map((s) => speakable(applyLexicon(s.text, lexicon), opts.settings.locale))
    .filter(Boolean);
  if (sentences.length === 0) throw invalid('There is nothing to say in this text: type some words.', 'text');
  const dir = await mkdtemp(join(tmpdir(), 'gazette-preview-'));
  try {
    const out = join(dir, 'preview.mp3');
    const { narrationEngine: engine, narrationVoice: voice, narrationRate: rate } = opts.settings;
    await opts.synth.segment({ engine, voice, rate, sentences, pauseMs: 0, out });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
