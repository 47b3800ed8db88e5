import { readFile, rename, writeFile } from 'node:fs/promises';
import { mp3Info } from './mp3.frames.js';
import type { JoinJob, JoinResult } from './synth.protocol.js';

/**
 * Separately encoded MP3 streams join into one valid stream byte for byte: the segments are read
 * in order, checked frame by frame, and written under a temporary name that is then renamed.
 */
export async function joinSegments(job: JoinJob): Promise<JoinResult> {
  const parts: Buffer[] = [];
  for (const path of job.segments) parts.push(await readFile(path));
  const mp3 = Buffer.concat(parts);
  const info = mp3Info(mp3);
  const tmp = `${job.out}.${process.pid}.tmp`;
  await writeFile(tmp, mp3);
  await rename(tmp, job.out);
  return { bytes: mp3.length, durationMs: info.durationMs };
}
