import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { findArticleById } from '../articles/article.repo.js';
import { listCorrections } from '../articles/correction.service.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events.js';
import { PermanentJobError } from '../jobs/job.runner.js';
import { loadSettings } from '../settings/settings.service.js';
import { storeAt } from '../storage/storage.js';
import { voiceKey } from './engine.registry.js';
import { lexiconFor } from './lexicon.service.js';
import { audioDir, audioFileName, segmentDir } from './narration.files.js';
import { findNarrationRow, segmentsInUse, upsertNarration } from './narration.repo.js';
import { retireAudio } from './narration.retire.js';
import type { ScriptParagraph } from './narration.script.js';
import type { NarrationTimings } from './narration.timings.js';
import type { SynthClient } from './synth.client.js';
import type { SegmentResult } from './synth.protocol.js';

/** Bump when the audio made from the same text would change (normaliser, pauses, encoding). */
const FORMAT = 'n1';
const PAUSE_MS = { headline: 700, other: 350 };

export interface NarratorDeps {
  db: Kysely<Database>;
  dataDir: string;
  synth: SynthClient;
}

export interface NarrationOutcome {
  status: 'ready' | 'unchanged' | 'skipped';
  synthesised: number;
  reused: number;
  file?: string;
  durationMs?: number;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

type Voice = { engine: string; voice: string; rate: number };

function segmentHash(p: ScriptParagraph, v: Voice): string {
  const pause = p.target === 'headline' ? PAUSE_MS.headline : PAUSE_MS.other;
  return sha([FORMAT, v.engine, voiceKey(v.engine, v.voice), v.rate, pause, ...p.sentences.map((s) => s.spoken)].join('\n'));
}

async function readSegmentMeta(path: string): Promise<SegmentResult | undefined> {
  if (!existsSync(path) || !existsSync(path.replace(/\.json$/, '.mp3'))) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SegmentResult;
  } catch {
    return undefined;
  }
}

/**
 * Narrates one article: reuses every paragraph whose audio exists, synthesises the rest, joins
 * the segments into `{article}-{hash}.mp3`, records duration and sentence timings, and removes
 * files no longer used. Unchanged text (same hash) does nothing unless `force`.
 */
export async function narrateArticle(deps: NarratorDeps, articleId: number, opts: { force?: boolean } = {}): Promise<NarrationOutcome> {
  const { db } = deps;
  const article = await findArticleById(db, articleId);
  const settings = await loadSettings(db);
  if (article?.status !== 'published' || !settings.narrationEnabled) {
    if (article) await upsertNarration(db, articleId, { status: 'off', error: null });
    return { status: 'skipped', synthesised: 0, reused: 0 };
  }
  const voice: Voice = { engine: settings.narrationEngine, voice: settings.narrationVoice, rate: settings.narrationRate };
  // Parsing and normalising a long article is CPU work: the host does it, not the serving thread.
  const script = await deps.synth.script({
    headline: article.headline,
    standfirst: article.standfirst,
    authors: article.authors.map((a) => a.name),
    bodyHtml: article.bodyHtml,
    corrections: (await listCorrections(db, articleId)).map((c) => c.body),
    locale: settings.locale,
    lexicon: await lexiconFor(db, articleId),
  });
  if (script.length === 0) throw new PermanentJobError('the article has no text to read');
  const hashes = script.map((p) => segmentHash(p, voice));
  const textHash = sha([FORMAT, ...hashes].join('\n'));
  const previous = await findNarrationRow(db, articleId);
  // The finished MP3s: the data folder, or the bucket every instance serves them from.
  const audio = storeAt(audioDir(deps.dataDir));
  if (!opts.force && previous?.text_hash === textHash && previous.file && (await audio.head(previous.file))) {
    await upsertNarration(db, articleId, { status: 'ready', error: null });
    return { status: 'unchanged', synthesised: 0, reused: 0, file: previous.file, durationMs: previous.duration_ms ?? 0 };
  }
  await upsertNarration(db, articleId, { status: 'running', error: null });

  const segments = segmentDir(deps.dataDir);
  mkdirSync(segments, { recursive: true });
  const results: SegmentResult[] = [];
  let synthesised = 0;
  for (const [i, p] of script.entries()) {
    const meta = join(segments, `${hashes[i]}.json`);
    let result = opts.force ? undefined : await readSegmentMeta(meta);
    if (!result) {
      const job = {
        ...voice,
        sentences: p.sentences.map((s) => s.spoken),
        pauseMs: p.target === 'headline' ? PAUSE_MS.headline : PAUSE_MS.other,
        out: join(segments, `${hashes[i]}.mp3`),
      };
      // The engine process occasionally dies mid-paragraph (see docs/narration.md): one more try
      // on a fresh process before the whole job is retried later.
      result = await deps.synth.segment(job).catch((error: Error) => {
        if (!/stopped unexpectedly/.test(error.message)) throw error;
        return deps.synth.segment(job);
      });
      await writeFile(meta, JSON.stringify(result));
      synthesised++;
    }
    results.push(result);
  }

  const file = audioFileName(articleId, textHash);
  // Joined beside the paragraphs (this machine's cache), then stored whole under its final name.
  const joined = join(segments, `${file}.${process.pid}.joined`);
  const info = await deps.synth.join({ segments: hashes.map((h) => join(segments, `${h}.mp3`)), out: joined });
  try {
    await audio.putFile(file, joined, 'audio/mpeg');
  } finally {
    await rm(joined, { force: true });
  }
  const timings: NarrationTimings = { v: 1, p: [] };
  let offsetMs = 0;
  script.forEach((p, i) => {
    timings.p.push({
      t: p.target,
      s: p.sentences.map((s, k) => [Math.round(offsetMs + results[i].sentenceStartsMs[k]) / 1000, s.start, s.end]),
    });
    offsetMs += results[i].durationMs;
  });

  await db.transaction().execute(async (trx) => {
    await upsertNarration(trx, articleId, {
      status: 'ready',
      text_hash: textHash,
      file,
      bytes: info.bytes,
      duration_ms: info.durationMs,
      timings: JSON.stringify(timings),
      segments: JSON.stringify(hashes),
      engine: voice.engine,
      voice: voice.voice,
      error: null,
      ready_at: new Date().toISOString(),
    });
    await recordEvent(trx, 'narration.ready', articleId, { file, durationMs: info.durationMs });
  });
  await removeUnused(deps, articleId, previous?.file ?? null, file, JSON.parse(previous?.segments ?? '[]'), hashes);
  return { status: 'ready', synthesised, reused: script.length - synthesised, file, durationMs: info.durationMs };
}

/**
 * Retires the replaced audio file (removed a day later: pages and tabs still point at it) and deletes
 * the old paragraphs that no narration uses any more.
 */
async function removeUnused(
  deps: NarratorDeps,
  articleId: number,
  oldFile: string | null,
  newFile: string,
  oldHashes: string[],
  newHashes: string[],
) {
  if (oldFile && oldFile !== newFile) await retireAudio(deps.db, oldFile);
  const keep = new Set(newHashes);
  const candidates = oldHashes.filter((h) => !keep.has(h));
  const used = await segmentsInUse(deps.db, articleId, candidates);
  for (const h of candidates) {
    if (used.has(h)) continue;
    await rm(join(segmentDir(deps.dataDir), `${h}.mp3`), { force: true });
    await rm(join(segmentDir(deps.dataDir), `${h}.json`), { force: true });
  }
}
