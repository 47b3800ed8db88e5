import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpeechEngine, SynthesisOptions } from './engine.types.js';
import { fliteText } from './flite.engine.js';
import { parseWav } from './wav.codec.js';

// Debian's festival with the HTS voice of the same speaker as Flite's "slt", when installed.
const VOICES: Record<string, { dir: string; select: string }> = {
  cmu_us_slt_arctic_hts: { dir: '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts', select: '(voice_cmu_us_slt_arctic_hts)' },
  kal_diphone: { dir: '/usr/share/festival/voices/english/kal_diphone', select: '(voice_kal_diphone)' },
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

const schemeString = (text: string) => `"${fliteText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Festival (Edinburgh), when the Debian packages are installed; detected at run time. Loading
 * a voice takes seconds, so one festival run speaks a whole paragraph, a WAV per sentence.
 */
export const festivalEngine: SpeechEngine = {
  id: 'festival',
  defaultVoice: 'cmu_us_slt_arctic_hts',
  available() {
    return onPath('festival') && this.voices().length > 0;
  },
  voices: () => Object.keys(VOICES).filter((v) => existsSync(VOICES[v].dir)),
  async synthesize(text: string, options: SynthesisOptions) {
    return (await this.synthesizeMany!([text], options))[0];
  },
  async synthesizeMany(texts: string[], options: SynthesisOptions) {
    const voice = VOICES[options.voice];
    if (!voice || !existsSync(voice.dir)) throw new Error(`festival has no voice "${options.voice}"`);
    const out = (i: number) => join(options.workDir, `out-${i}.wav`);
    const script = [
      voice.select,
      `(Parameter.set 'Duration_Stretch ${(1 / options.rate).toFixed(3)})`,
      ...texts.map((t, i) => `(utt.save.wave (utt.synth (Utterance Text ${schemeString(t)})) ${schemeString(out(i))} 'riff)`),
    ].join('\n');
    const file = join(options.workDir, 'paragraph.scm');
    writeFileSync(file, script);
    try {
      const result = spawnSync('festival', ['-b', file], { timeout: 300_000, stdio: ['ignore', 'ignore', 'pipe'] });
      if (result.status !== 0) throw new Error(`festival failed: ${String(result.stderr ?? result.error ?? '').slice(0, 300)}`);
      return texts.map((_t, i) => parseWav(readFileSync(out(i))));
    } finally {
      for (let i = 0; i < texts.length; i++) rmSync(out(i), { force: true });
    }
  },
};
