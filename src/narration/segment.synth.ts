import { renameSync, writeFileSync } from 'node:fs';
import { findEngine } from './engine.registry.js';
import { ENCODER_DELAY_SAMPLES, encodeMp3 } from './mp3.encoder.js';
import { mp3Info } from './mp3.frames.js';
import type { SegmentJob, SegmentResult } from './synth.protocol.js';
import { type Pcm, resample, writeWav } from './wav.codec.js';

/** Every segment has one rate, so segments of any engine can be joined into one MP3 stream. */
export const SAMPLE_RATE = 16000;

async function sequentially<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

/** Speaks the sentences one by one and joins them, remembering where each one starts. */
export async function speak(
  job: Omit<SegmentJob, 'out' | 'pauseMs'>,
  workDir: string,
  pauseMs = 0,
): Promise<{ pcm: Pcm; starts: number[] }> {
  const engine = findEngine(job.engine);
  const parts: Int16Array[] = [];
  const starts: number[] = [];
  let length = 0;
  const options = { voice: job.voice, rate: job.rate, workDir };
  const voiced = engine.synthesizeMany
    ? await engine.synthesizeMany(job.sentences, options)
    : await sequentially(job.sentences, (s) => engine.synthesize(s, options));
  const between = new Int16Array(Math.round(((job.sentencePauseMs ?? 0) / 1000) * SAMPLE_RATE));
  voiced.forEach((raw, i) => {
    if (i > 0 && between.length) {
      parts.push(between);
      length += between.length;
    }
    const pcm = resample(raw, SAMPLE_RATE);
    starts.push(length);
    parts.push(pcm.samples);
    length += pcm.samples.length;
  });
  const pause = Math.round((pauseMs / 1000) * SAMPLE_RATE);
  const samples = new Int16Array(length + pause);
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  return { pcm: { sampleRate: SAMPLE_RATE, samples }, starts };
}

/** One paragraph → one MP3 segment on disk, with its sentence start times. */
export async function makeSegment(job: SegmentJob, workDir: string): Promise<SegmentResult> {
  const t0 = performance.now();
  const { pcm, starts } = await speak(job, workDir, job.pauseMs);
  const mp3 = await encodeMp3(pcm);
  const info = mp3Info(mp3);
  const tmp = `${job.out}.${process.pid}.tmp`;
  writeFileSync(tmp, mp3);
  renameSync(tmp, job.out);
  return {
    durationMs: (info.samples / info.sampleRate) * 1000,
    bytes: mp3.length,
    sentenceStartsMs: starts.map((s) => ((s + ENCODER_DELAY_SAMPLES) / SAMPLE_RATE) * 1000),
    audioMs: (pcm.samples.length / SAMPLE_RATE) * 1000,
    synthMs: performance.now() - t0,
  };
}

/** The plain speech as a WAV file (for the bench's speech recogniser). */
export async function makeWav(
  job: Omit<SegmentJob, 'out' | 'pauseMs'> & { out: string },
  workDir: string,
): Promise<{ durationMs: number }> {
  const { pcm } = await speak(job, workDir, 300);
  writeFileSync(job.out, writeWav(pcm));
  return { durationMs: (pcm.samples.length / SAMPLE_RATE) * 1000 };
}
