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

/** Festival (Edinburgh), run as `text2wave` when the Debian packages are installed; detected at run time. */
export const festivalEngine: SpeechEngine = {
  id: 'festival',
  defaultVoice: 'cmu_us_slt_arctic_hts',
  available() {
    return onPath('text2wave') && this.voices().length > 0;
  },
  voices: () => Object.keys(VOICES).filter((v) => existsSync(VOICES[v].dir)),
  async synthesize(text: string, options: SynthesisOptions) {
    const voice = VOICES[options.voice];
    if (!voice || !existsSync(voice.dir)) throw new Error(`festival has no voice "${options.voice}"`);
    const input = join(options.workDir, 'in.txt');
    const output = join(options.workDir, 'out.wav');
    writeFileSync(input, fliteText(text));
    try {
      const stretch = (1 / options.rate).toFixed(3);
      const result = spawnSync(
        'text2wave',
        ['-eval', voice.select, '-eval', `(Parameter.set 'Duration_Stretch ${stretch})`, '-otype', 'riff', '-o', output, input],
        { timeout: 120_000, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      if (result.status !== 0) throw new Error(`text2wave failed: ${String(result.stderr ?? result.error ?? '').slice(0, 300)}`);
      return parseWav(readFileSync(output));
    } finally {
      rmSync(output, { force: true });
    }
  },
};
