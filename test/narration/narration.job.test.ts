import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { mp3Info } from '../../src/narration/mp3.frames.js';
import { audioDir, segmentDir } from '../../src/narration/narration.files.js';
import { RETIRE_AUDIO_JOB, RETIRED_AUDIO_KEPT_MS } from '../../src/narration/narration.retire.js';
import { requestNarration } from '../../src/narration/narration.service.js';
import { createNarrator, type Narrator } from '../../src/narration/narration.setup.js';
import type { NarrationTimings } from '../../src/narration/narration.timings.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const BODY = ['The council voted 7-2 on Oct. 5.', 'Dr. Chen said the $412 million plan works.', 'It starts in 2027.'];

describe.each(DIALECTS)('narration job on %s', (dialect) => {
  let t: TestDb;
  let narrator: Narrator;
  let id: number;
  let slug: string;
  const row = () => t.db.selectFrom('narrations').selectAll().where('article_id', '=', id).executeTakeFirstOrThrow();
  const runner = () => createJobRunner({ db: t.db, handlers: narrator.handlers, backoff: () => 0 });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    narrator = createNarrator({ db: t.db, dataDir: t.dataDir });
    const a = await makeArticle(t.db, { headline: 'Budget passes', standfirst: 'A late vote.', body: BODY.join('\n\n') });
    id = a.id;
    slug = a.slug;
  });
  afterAll(async () => {
    narrator.close();
    await t.destroy();
  });

  it('queues a narration when an article is published', async () => {
    expect((await row()).status).toBe('queued');
    const jobs = await t.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `narration:${id}`).execute();
    expect(jobs).toHaveLength(1);
  });

  it('narrates: an MP3 whose frames add up to the recorded duration, with sentence timings', async () => {
    expect(await runner().runDue()).toBe(1);
    const r = await row();
    expect(r.status).toBe('ready');
    expect(r.file).toMatch(new RegExp(`^${id}-[0-9a-f]{16}\\.mp3$`));
    const bytes = readFileSync(join(audioDir(t.dataDir), r.file!));
    const info = mp3Info(bytes);
    expect(info.junkBytes).toBe(0);
    expect(info.sampleRate).toBe(16000);
    expect(Math.abs(info.durationMs - r.duration_ms!) / r.duration_ms!).toBeLessThan(0.01);
    expect(r.bytes).toBe(bytes.length);
    const timings = JSON.parse(r.timings!) as NarrationTimings;
    expect(timings.p.map((p) => p.t)).toEqual(['headline', 'standfirst', 'byline', 0, 1, 2]);
    const starts = timings.p.flatMap((p) => p.s.map((s) => s[0]));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)!).toBeLessThan(r.duration_ms! / 1000);
    // The highlight offsets locate each sentence in its paragraph's text.
    const [, from, to] = timings.p[4].s[0];
    expect(BODY[1].slice(from, to)).toBe('Dr. Chen said the $412 million plan works.');
    const events = await t.db
      .selectFrom('events')
      .select('type')
      .where('subject_id', '=', id)
      .where('type', '=', 'narration.ready')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('does not narrate unchanged text again', async () => {
    const before = await row();
    const outcome = await narrator.narrate(id);
    expect(outcome).toMatchObject({ status: 'unchanged', synthesised: 0 });
    expect((await row()).file).toBe(before.file);
  });

  it('re-synthesises only the paragraph that changed, and removes what is no longer used', async () => {
    const before = await row();
    const oldSegments = JSON.parse(before.segments) as string[];
    await makeArticle(t.db, {
      slug,
      headline: 'Budget passes',
      standfirst: 'A late vote.',
      body: [BODY[0], 'Dr. Chen said the plan works.', BODY[2]].join('\n\n'),
    });
    expect((await row()).status).toBe('queued');
    const outcome = await narrator.narrate(id);
    expect(outcome).toMatchObject({ status: 'ready', synthesised: 1, reused: 5 });
    const after = await row();
    expect(after.file).not.toBe(before.file);
    // Cached pages and open tabs still point at the replaced file: it is kept for a day.
    expect(existsSync(join(audioDir(t.dataDir), before.file!))).toBe(true);
    const retire = await t.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `retire:${before.file}`).executeTakeFirstOrThrow();
    expect(retire.type).toBe(RETIRE_AUDIO_JOB);
    const keptMs = Date.parse(retire.run_at) - Date.now();
    expect(keptMs).toBeGreaterThan(RETIRED_AUDIO_KEPT_MS - 60_000);
    expect(keptMs).toBeLessThanOrEqual(RETIRED_AUDIO_KEPT_MS);
    await runner().runDue();
    expect(existsSync(join(audioDir(t.dataDir), before.file!))).toBe(true);
    // A day later the file goes (through the store, so a bucket works the same).
    await t.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', retire.id)
      .execute();
    expect(await runner().runDue()).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(audioDir(t.dataDir), before.file!))).toBe(false);
    expect(readdirSync(audioDir(t.dataDir)).filter((f) => f.startsWith(`${id}-`))).toEqual([after.file]);
    const newSegments = JSON.parse(after.segments) as string[];
    const dropped = oldSegments.filter((h) => !newSegments.includes(h));
    expect(dropped).toHaveLength(1);
    expect(existsSync(join(segmentDir(t.dataDir), `${dropped[0]}.mp3`))).toBe(false);
    for (const h of newSegments) expect(existsSync(join(segmentDir(t.dataDir), `${h}.mp3`))).toBe(true);
  });

  it('records a failure, retries with back-off, and keeps serving the last good audio', async () => {
    const good = await row();
    await saveSettings(t.db, { narrationVoice: 'no-such-voice' });
    await t.db.transaction().execute((trx) => requestNarration(trx, id, { force: true }));
    await runner().runDue();
    const failed = await row();
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('no voice');
    expect(failed.file).toBe(good.file);
    const job = await t.db
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', '=', `narration:${id}`)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 5 });
    const events = await t.db
      .selectFrom('events')
      .select('type')
      .where('subject_id', '=', id)
      .where('type', '=', 'narration.failed')
      .execute();
    expect(events).toHaveLength(1);
    await saveSettings(t.db, { narrationVoice: 'slt' });
  });

  it('skips articles that are not published, and everything when narration is off', async () => {
    const draft = await makeArticle(t.db, { headline: 'Draft', published: new Date(Date.now() + 86400_000) });
    expect(await narrator.narrate(draft.id)).toMatchObject({ status: 'skipped' });
    await saveSettings(t.db, { narrationEnabled: false });
    expect(await narrator.narrate(id, { force: true })).toMatchObject({ status: 'skipped' });
    await saveSettings(t.db, { narrationEnabled: true });
  });
});

describe('the synthesis host', () => {
  it('survives a crash of the engine process: the request fails, the next one starts a new host', async () => {
    const narrator = createNarrator({ db: undefined as never, dataDir: '/tmp' });
    try {
      const engines = await narrator.synth.engines();
      expect(engines.find((e) => e.id === 'flite')?.available).toBe(true);
      const pid = narrator.synth.pid!;
      const pending = narrator.synth.segment({
        engine: 'flite',
        voice: 'slt',
        rate: 1,
        sentences: Array(30).fill('A long sentence to keep the engine busy for a while.'),
        pauseMs: 0,
        out: '/tmp/gazette-crash-test.mp3',
      });
      process.kill(pid, 'SIGKILL');
      await expect(pending).rejects.toThrow(/stopped unexpectedly/);
      expect((await narrator.synth.engines()).length).toBeGreaterThan(0);
      expect(narrator.synth.pid).not.toBe(pid);
    } finally {
      narrator.close();
    }
  });
});
