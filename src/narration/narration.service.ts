import type { Kysely } from 'kysely';
import { cacheKey } from '../cache/keys.js';
import { noteKeys } from '../cache/tracker.js';
import type { Database } from '../db/database.js';
import { notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { audioUrl } from './narration.files.js';
import { findNarrationRow, upsertNarration } from './narration.repo.js';
import type { NarrationStatus } from './narration.table.js';
import type { NarrationTimings } from './narration.timings.js';

/** The job type of a narration; its handler is in `narration.job.ts`. */
export const NARRATION_JOB = 'narration.generate';
const MAX_ATTEMPTS = 5;

/** Queues a narration of the article (in the caller's transaction); one waiting request per article. */
export async function requestNarration(trx: Executor, articleId: number, opts: { force?: boolean } = {}): Promise<void> {
  await upsertNarration(trx, articleId, { status: 'queued', error: null });
  await enqueueJob(trx, {
    type: NARRATION_JOB,
    payload: { articleId, force: opts.force === true },
    key: `narration:${articleId}`,
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** Newsroom "narrate again": re-synthesises every paragraph, whatever is cached. */
export async function narrateAgain(db: Kysely<Database>, articleId: number): Promise<void> {
  const article = await db.selectFrom('articles').select(['id', 'status']).where('id', '=', articleId).executeTakeFirst();
  if (!article) throw notFound('No such article');
  await db.transaction().execute((trx) => requestNarration(trx, articleId, { force: true }));
}

export interface NarrationView {
  url: string;
  file: string;
  bytes: number;
  durationMs: number;
  timings: NarrationTimings;
}

/** The audio a reader can play for this article, if any (the last ready one while a new one is made). */
export async function findPlayableNarration(db: Executor, articleId: number): Promise<NarrationView | undefined> {
  // The page that plays it (with or without audio yet) is the one a ready narration changes.
  noteKeys(cacheKey.narration(articleId));
  const row = await findNarrationRow(db, articleId);
  if (!row?.file || row.duration_ms === null || !row.timings) return undefined;
  return { url: audioUrl(row.file), file: row.file, bytes: row.bytes ?? 0, durationMs: row.duration_ms, timings: JSON.parse(row.timings) };
}

export interface NarrationStatusView {
  status: NarrationStatus | 'none';
  error: string | null;
  durationMs: number | null;
  url: string | null;
  voice: string | null;
  engine: string | null;
  readyAt: string | null;
  requestedAt: string | null;
}

/** What the newsroom shows for an article: state of the latest request, its error, the current audio. */
export async function narrationStatus(db: Executor, articleId: number): Promise<NarrationStatusView> {
  const row = await findNarrationRow(db, articleId);
  return {
    status: row?.status ?? 'none',
    error: row?.error ?? null,
    durationMs: row?.duration_ms ?? null,
    url: row?.file ? audioUrl(row.file) : null,
    voice: row?.voice ?? null,
    engine: row?.engine ?? null,
    readyAt: row?.ready_at ?? null,
    requestedAt: row?.requested_at ?? null,
  };
}
