// Narrates the demo newsroom and prints real-time factor, time to ready, peak memory and — when
// Debian's pocketsphinx is installed — the word error rate of recognising the audio, per voice.
// Usage: npm run bench:narration-speed [-- --voices flite/rms,flite/slt --wer 6 --articles 26]
// (The word error rate on written news texts, tuning and unseen sets: npm run bench:narration.)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { findArticleById } from '../src/articles/article.repo.js';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { loadDemo } from '../src/demo/demo.service.js';
import { createJobRunner } from '../src/jobs/job.runner.js';
import { buildScript } from '../src/narration/narration.script.js';
import { createNarrator } from '../src/narration/narration.setup.js';
import { publishArticle } from '../src/publish/publish.service.js';
import { saveSettings } from '../src/settings/settings.service.js';

const { values } = parseArgs({ options: { voices: { type: 'string' }, wer: { type: 'string' }, articles: { type: 'string' } } });
const voices = (values.voices ?? 'flite/slt,flite/kal16').split(',').map((v) => v.split('/') as [string, string]);
const werArticles = Number(values.wer ?? 6);
const MODEL = '/usr/share/pocketsphinx/model/en-us';
const recogniser =
  existsSync('/usr/bin/pocketsphinx_continuous') && existsSync(join(MODEL, 'en-us')) ? '/usr/bin/pocketsphinx_continuous' : null;

const dataDir = mkdtempSync(join(tmpdir(), 'gazette-bench-'));
const conn = connect({ dataDir });
await migrate(conn.db);
const demo = await loadDemo(conn.db, { mediaRoot: join(dataDir, 'media') });
const ids = demo.filter((d) => d.status === 'published').map((d) => d.id);
const narrated = ids.slice(0, values.articles === undefined ? ids.length : Number(values.articles));

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[-–—/]/g, ' ')
    .replace(/[^a-z0-9' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

function wordErrorRate(reference: string[], hypothesis: string[]): number {
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hypothesis.length] / Math.max(1, reference.length);
}

/** A 1,000-word article made of demo paragraphs, published while the job runner polls as in `serve`. */
async function timeToReady(narrator: ReturnType<typeof createNarrator>, n: number): Promise<{ ms: number; words: number; lagP99: number }> {
  const paragraphs: string[] = [];
  for (const id of ids) {
    const a = await findArticleById(conn.db, id);
    paragraphs.push(...a!.bodyMd.split(/\n\n+/).filter((p) => !p.startsWith('#')));
  }
  const body: string[] = [];
  let count = 0;
  for (const p of paragraphs) {
    if (count >= 1000) break;
    // A sentence of its own in every paragraph: nothing may come from the paragraph cache.
    body.push(`${p} This is paragraph ${body.length + 1} of take ${n}.`);
    count += p.split(/\s+/).length;
  }
  // Loading the demo queued a job per article: only the new article's job is measured.
  await conn.db.deleteFrom('jobs').execute();
  const runner = createJobRunner({ db: conn.db, handlers: narrator.handlers, pollMs: 1000 });
  runner.start();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = Date.now();
  const result = await publishArticle(conn.db, {
    article: {
      headline: `A thousand words, take ${n}`,
      standfirst: 'Made of demo paragraphs for the benchmark.',
      section: 'Politics',
      authors: ['James Thompson'],
      published: undefined,
      slug: `bench-thousand-words-${n}-${Date.now()}`,
      tags: [],
      hero: undefined,
      heroAlt: '',
      heroCaption: '',
      heroCredit: '',
      commentsOpen: true,
      body: body.join('\n\n'),
    },
  });
  for (;;) {
    const row = await conn.db.selectFrom('narrations').select('status').where('article_id', '=', result.id).executeTakeFirst();
    if (row?.status === 'ready' || row?.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = Date.now() - started;
  lag.disable();
  await runner.stop();
  return { ms, words: count, lagP99: lag.percentile(99) / 1e6 };
}

const report: Record<string, unknown>[] = [];
let n = 0;
for (const [engine, voice] of voices) {
  n++;
  await saveSettings(conn.db, { narrationEngine: engine, narrationVoice: voice });
  const narrator = createNarrator({ db: conn.db, dataDir });
  let audioMs = 0;
  let workMs = 0;
  for (const id of narrated) {
    const t0 = Date.now();
    const outcome = await narrator.narrate(id, { force: true });
    workMs += Date.now() - t0;
    audioMs += outcome.durationMs ?? 0;
  }
  const ready = await timeToReady(narrator, n);
  const readyRow = await conn.db.selectFrom('narrations').select(['duration_ms']).orderBy('article_id', 'desc').executeTakeFirst();
  let wer: number | null = null;
  if (recogniser && werArticles > 0) {
    let errors = 0;
    let total = 0;
    for (const id of ids.slice(0, werArticles)) {
      const a = (await findArticleById(conn.db, id))!;
      const script = buildScript({ headline: a.headline, standfirst: a.standfirst, authors: [], bodyHtml: a.bodyHtml, locale: 'en-US' });
      const sentences = script.flatMap((p) => p.sentences.map((s) => s.spoken));
      const wav = join(dataDir, `wer-${id}.wav`);
      await narrator.synth.wav({ engine, voice, rate: 1, sentences, out: wav });
      const out = spawnSync(
        recogniser,
        [
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
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      const reference = words(sentences.join(' '));
      errors += wordErrorRate(reference, words(out.stdout)) * reference.length;
      total += reference.length;
    }
    wer = errors / total;
  }
  const stats = await narrator.synth.stats();
  narrator.close();
  report.push({
    voice: `${engine}/${voice}`,
    articles: narrated.length,
    audioMinutes: +(audioMs / 60000).toFixed(1),
    realTimeFactor: audioMs ? +(workMs / audioMs).toFixed(4) : null,
    thousandWordsReadyMs: ready.ms,
    thousandWordsAudioMinutes: +((readyRow?.duration_ms ?? 0) / 60000).toFixed(1),
    thousandWords: ready.words,
    serverEventLoopP99Ms: +ready.lagP99.toFixed(1),
    peakEngineRssMb: Math.round(stats.maxRssBytes / 1e6),
    peakServerRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
    wordErrorRate: wer === null ? (recogniser ? 'skipped' : 'pocketsphinx not installed') : `${(wer * 100).toFixed(1)} %`,
  });
}
console.table(report);
console.log(JSON.stringify({ cpu: execFileSync('nproc').toString().trim(), node: process.version, results: report }));
await conn.close();
rmSync(dataDir, { recursive: true, force: true });
