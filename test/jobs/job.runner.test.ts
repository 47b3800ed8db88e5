import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/events.js';
import { claimJob, enqueueJob, findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner, PermanentJobError } from '../../src/jobs/job.runner.js';
import { NARRATION_JOB } from '../../src/narration/narration.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { insertBareArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('job runner on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());
  beforeEach(async () => {
    await t.db.deleteFrom('jobs').execute();
  });

  const job = async (id: number) => t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('enqueues inside the writing transaction: a rollback drops the job', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, { type: 'test.echo', payload: { n: 1 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await findJobs(t.db, { type: 'test.echo' })).toHaveLength(0);
    await t.db.transaction().execute((trx) => enqueueJob(trx, { type: 'test.echo', payload: { n: 2 } }));
    expect(await findJobs(t.db, { type: 'test.echo' })).toHaveLength(1);
  });

  it('runs due jobs with their payload and marks them done', async () => {
    const seen: unknown[] = [];
    const id = await enqueueJob(t.db, { type: 'test.echo', payload: { n: 7 } });
    const later = await enqueueJob(t.db, { type: 'test.echo', payload: { n: 8 }, runAt: new Date(Date.now() + 60_000) });
    const runner = createJobRunner({ db: t.db, handlers: { 'test.echo': async (p) => void seen.push(p) } });
    expect(await runner.runDue()).toBe(1);
    expect(seen).toEqual([{ n: 7 }]);
    expect((await job(id)).status).toBe('done');
    expect((await job(later)).status).toBe('queued');
  });

  it('retries a failing job with back-off, keeps the error, and gives up after max attempts', async () => {
    const id = await enqueueJob(t.db, { type: 'test.flaky', maxAttempts: 3 });
    const delays: number[] = [];
    let calls = 0;
    const runner = createJobRunner({
      db: t.db,
      handlers: {
        'test.flaky': async () => {
          calls++;
          throw new Error(`boom ${calls}`);
        },
      },
      backoff: (attempt) => {
        delays.push(attempt);
        return 0;
      },
    });
    await runner.runDue();
    const row = await job(id);
    expect(calls).toBe(3);
    expect(delays).toEqual([1, 2]);
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBe('boom 3');
  });

  it('waits out the back-off before the next attempt', async () => {
    const id = await enqueueJob(t.db, { type: 'test.once' });
    let calls = 0;
    const runner = createJobRunner({
      db: t.db,
      handlers: {
        'test.once': async () => {
          calls++;
          if (calls === 1) throw new Error('not yet');
        },
      },
      backoff: () => 60_000,
    });
    await runner.runDue();
    const row = await job(id);
    expect(calls).toBe(1);
    expect(row.status).toBe('queued');
    expect(row.last_error).toBe('not yet');
    expect(Date.parse(row.run_at)).toBeGreaterThan(Date.now() + 50_000);
  });

  it('does not retry a permanent failure', async () => {
    const id = await enqueueJob(t.db, { type: 'test.bad' });
    const runner = createJobRunner({
      db: t.db,
      handlers: {
        'test.bad': async () => {
          throw new PermanentJobError('the input is wrong');
        },
      },
      backoff: () => 0,
    });
    await runner.runDue();
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'the input is wrong' });
  });

  it('keeps one waiting job per key', async () => {
    const a = await enqueueJob(t.db, { type: 'test.echo', key: 'article:1', payload: { v: 1 } });
    const b = await enqueueJob(t.db, { type: 'test.echo', key: 'article:1', payload: { v: 2 } });
    expect(b).toBe(a);
    expect(JSON.parse((await job(a)).payload)).toEqual({ v: 2 });
  });

  it('takes over a job whose runner died (lock expired), and never one that is still locked', async () => {
    const id = await enqueueJob(t.db, { type: 'test.echo' });
    const first = await claimJob(t.db, { types: ['test.echo'], workerId: 'dead', lockMs: 60_000 });
    expect(first?.id).toBe(id);
    expect(await claimJob(t.db, { types: ['test.echo'], workerId: 'other', lockMs: 60_000 })).toBeUndefined();
    await t.db
      .updateTable('jobs')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    const again = await claimJob(t.db, { types: ['test.echo'], workerId: 'other', lockMs: 60_000 });
    expect(again).toMatchObject({ id, locked_by: 'other', attempts: 2 });
  });

  it('never gives one job to two runners claiming at once', async () => {
    for (let i = 0; i < 20; i++) await enqueueJob(t.db, { type: 'test.echo', payload: { i } });
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, k) => claimJob(t.db, { types: ['test.echo'], workerId: `w${k}`, lockMs: 60_000 })),
    );
    const ids = claims.filter(Boolean).map((c) => c!.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('only claims the types it has handlers for', async () => {
    await enqueueJob(t.db, { type: 'test.unknown' });
    const runner = createJobRunner({ db: t.db, handlers: { 'test.echo': async () => undefined } });
    expect(await runner.runDue()).toBe(0);
  });

  it('lets recording an event enqueue a job in the same transaction', async () => {
    // A row of the subscriber table: a published article queues its narration job.
    const id = await insertBareArticle(t.db, { slug: 'hooked', headline: 'Hooked', bodyMd: 'Text to read.' });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordEvent(trx, 'article.published', id);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    expect(await findJobs(t.db, { type: NARRATION_JOB })).toHaveLength(0);
    await t.db.transaction().execute((trx) => recordEvent(trx, 'article.published', id));
    const jobs = await findJobs(t.db, { type: NARRATION_JOB });
    expect(jobs.map((j) => JSON.parse(j.payload))).toEqual([{ articleId: id, force: false }]);
  });

  it('polls in the background once started, and drains on stop', async () => {
    const done: number[] = [];
    const runner = createJobRunner({
      db: t.db,
      pollMs: 20,
      handlers: { 'test.echo': async (p: { n: number }) => void done.push(p.n) },
    });
    runner.start();
    await enqueueJob(t.db, { type: 'test.echo', payload: { n: 1 } });
    for (let i = 0; i < 100 && done.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(done).toEqual([1]);
  });
});
