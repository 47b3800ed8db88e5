// How well is the narration understood? Speaks fixed news texts (scripts/narration-texts/: a
// `tuning` set, the only one the normaliser and lexicon were tuned on, and an `unseen` set kept
// apart), decodes the SERVED MP3 back to 16 kHz WAV, has Debian's pocketsphinx recognise it and
// prints the word error rate per voice and per set — with a 95 % interval over texts, the rate on
// the headlines and on what follows them — and raw Flite (the written text, no normaliser, no
// MP3) beside it on the same texts.
// Usage: npm run bench:narration [-- --voices flite/rms,flite/slt --sets tuning,unseen --no-raw --details DIR]
//        [--rate 0.9 --sentence-pause 250] (try a pace or a longer pause between sentences before adopting it)
// (--details DIR writes what was said and what was heard, per text, for tuning the normaliser.)
// Needs: pocketsphinx + pocketsphinx-en-us (apt), and ffmpeg or mpg123 (apt) to decode MP3.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildScript } from '../src/narration/narration.script.js';
import { createNarrator } from '../src/narration/narration.setup.js';
import { canonicalWords, interval, type Tally, wordErrorsSplit } from './narration-wer.js';

const { values } = parseArgs({
  options: {
    voices: { type: 'string' },
    sets: { type: 'string' },
    'no-raw': { type: 'boolean' },
    details: { type: 'string' },
    rate: { type: 'string' },
    'sentence-pause': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(
    'npm run bench:narration [-- --voices flite/rms,flite/slt --sets tuning,unseen --no-raw --details DIR --rate 1 --sentence-pause MS]',
  );
  process.exit(0);
}
// The speaking rate as the settings give it (1 = each voice's own pace); for trying a pace before changing a voice's default.
const rate = Number(values.rate ?? 1);
const voices = (values.voices ?? 'flite/rms,flite/slt').split(',').map((v) => v.split('/') as [string, string]);
const sets = (values.sets ?? 'tuning,unseen').split(',');
const MODEL = '/usr/share/pocketsphinx/model/en-us';
const RECOGNISER = '/usr/bin/pocketsphinx_continuous';
if (!existsSync(RECOGNISER) || !existsSync(join(MODEL, 'en-us'))) {
  console.error('pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us');
  process.exit(2);
}
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const decoder = has('ffmpeg') ? 'ffmpeg' : has('mpg123') ? 'mpg123' : null;
if (!decoder) {
  console.error('No MP3 decoder: apt-get install ffmpeg (or mpg123)');
  process.exit(2);
}

const TEXTS = join(import.meta.dirname, 'narration-texts');
const work = mkdtempSync(join(tmpdir(), 'gazette-wer-'));
// A loaded machine slows the low-priority host: give it time rather than fail the run.
const narrator = createNarrator({ db: undefined as never, dataDir: work, synth: { timeoutMs: 600_000 } });

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

async function decodeMp3(mp3: string, wav: string) {
  if (decoder === 'ffmpeg') await run('ffmpeg', ['-loglevel', 'error', '-y', '-i', mp3, '-ar', '16000', '-ac', '1', wav]);
  else await run('mpg123', ['-q', '-m', '-r', '16000', '-w', wav, mp3]);
}

// Recognition overlaps with synthesising the next texts; a few at a time on a small machine.
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const recognise = (wav: string) => limited(() => recogniseNow(wav));

const recogniseNow = (wav: string) =>
  run(RECOGNISER, [
    '-infile',
    wav,
    '-hmm',
    join(MODEL, 'en-us'),
    '-lm',
    join(MODEL, 'en-us.lm.bin'),
    '-dict',
    join(MODEL, 'cmudict-en-us.dict'),
    '-logfn',
    '/dev/null',
  ]);

interface Text {
  set: string;
  name: string;
  headline: string;
  paragraphs: string[];
}

function loadSet(set: string): Text[] {
  const dir = join(TEXTS, set);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((name) => {
      const [headline, ...paragraphs] = readFileSync(join(dir, name), 'utf8')
        .trim()
        .split(/\n\s*\n/);
      return { set, name, headline: headline.trim(), paragraphs: paragraphs.map((p) => p.replace(/\s+/g, ' ').trim()) };
    });
}

const sum = (list: Tally[]): Tally => ({
  errors: list.reduce((n, t) => n + t.errors, 0),
  words: list.reduce((n, t) => n + t.words, 0),
});
const percent = (t: Tally) => `${((t.errors / t.words) * 100).toFixed(1)} %`;

interface Spoken {
  text: Text;
  voice: string;
  reference: string[];
  /** How many of the reference's words are the headline's. */
  headlineWords: number;
  served: string;
  raw?: string;
}

/** One text in one voice: the served MP3 (script → segments → joined file → decoded) and raw Flite on the written sentences. */
async function speak(text: Text, engine: string, voice: string, raw: boolean): Promise<Spoken> {
  const script = buildScript({
    headline: text.headline,
    standfirst: '',
    authors: [],
    bodyHtml: text.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
    locale: 'en-US',
  });
  const reference = canonicalWords(script.flatMap((p) => p.sentences.map((s) => s.spoken)).join(' '));
  const headlineWords = canonicalWords(script[0].sentences.map((s) => s.spoken).join(' ')).length;
  const base = join(work, `${text.set}-${text.name}-${voice}`);
  const segments: string[] = [];
  for (const [i, p] of script.entries()) {
    const out = `${base}-${i}.mp3`;
    await narrator.synth.segment({
      engine,
      voice,
      rate,
      sentences: p.sentences.map((s) => s.spoken),
      pauseMs: p.target === 'headline' ? 700 : 350,
      sentencePauseMs: values['sentence-pause'] ? Number(values['sentence-pause']) : undefined,
      out,
    });
    segments.push(out);
  }
  await narrator.synth.join({ segments, out: `${base}.mp3` });
  await decodeMp3(`${base}.mp3`, `${base}.served.wav`);
  if (!raw) return { text, voice, reference, headlineWords, served: `${base}.served.wav` };
  const written = script.flatMap((p) => p.sentences.map((s) => s.text));
  await narrator.synth.wav({ engine, voice, rate, sentences: written, out: `${base}.raw.wav` });
  return { text, voice, reference, headlineWords, served: `${base}.served.wav`, raw: `${base}.raw.wav` };
}

async function score(s: Spoken) {
  const detail = async (kind: string, wav: string) => {
    const heard = canonicalWords(await recognise(wav));
    const split = wordErrorsSplit(s.reference, heard, s.headlineWords);
    const scored = { ...sum([split.first, split.rest]), headline: split.first, body: split.rest };
    if (values.details) {
      mkdirSync(values.details, { recursive: true });
      const file = join(values.details, `${s.text.set}-${s.text.name.replace(/\.txt$/, '')}-${s.voice}-${kind}.txt`);
      const wer = ((scored.errors / scored.words) * 100).toFixed(1);
      writeFileSync(file, `WER ${wer} %\nsaid:  ${s.reference.join(' ')}\nheard: ${heard.join(' ')}\n`);
    }
    return scored;
  };
  const [served, raw] = await Promise.all([detail('served', s.served), s.raw ? detail('raw', s.raw) : null]);
  return { served, raw };
}

const rows: Record<string, unknown>[] = [];
const started = Date.now();
for (const [engine, voice] of voices) {
  for (const set of sets) {
    // Texts are spoken one after another; each one's recognition runs while the next is spoken.
    const pending: ReturnType<typeof score>[] = [];
    for (const text of loadSet(set)) {
      const scored = score(await speak(text, engine, voice, !values['no-raw']));
      scored.catch(() => undefined); // reported by Promise.all below, not as an unhandled rejection meanwhile
      pending.push(scored);
    }
    const scores = await Promise.all(pending);
    const served = sum(scores.map((s) => s.served));
    const raw = sum(scores.flatMap((s) => (s.raw ? [s.raw] : [])));
    const [low, high] = interval(scores.map((s) => s.served));
    rows.push({
      voice: `${engine}/${voice}`,
      set,
      words: served.words,
      'served MP3 WER': percent(served),
      '95 % interval': `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)} %`,
      headlines: percent(sum(scores.map((s) => s.served.headline))),
      'after the headline': percent(sum(scores.map((s) => s.served.body))),
      'raw Flite WER': raw.words ? percent(raw) : '-',
    });
  }
}
narrator.close();
rmSync(work, { recursive: true, force: true });
console.table(rows);
console.log(JSON.stringify({ decoder, rate, seconds: Math.round((Date.now() - started) / 1000), results: rows }));
