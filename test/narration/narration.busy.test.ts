import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createNarrator, type Narrator } from '../../src/narration/narration.setup.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

// The CPU-heavy steps, watched in this process (the server's): the synthesis host is another
// process and does not see these mocks.
const inServer = vi.hoisted(() => ({ script: 0, mp3: 0 }));
vi.mock('../../src/narration/narration.script.js', async (original) => {
  const real = await original<typeof import('../../src/narration/narration.script.js')>();
  const buildScript: typeof real.buildScript = (input) => {
    inServer.script++;
    return real.buildScript(input);
  };
  return { ...real, buildScript };
});
vi.mock('../../src/narration/mp3.frames.js', async (original) => {
  const real = await original<typeof import('../../src/narration/mp3.frames.js')>();
  const mp3Info: typeof real.mp3Info = (bytes) => {
    inServer.mp3++;
    return real.mp3Info(bytes);
  };
  return { ...real, mp3Info };
});

/** The bound on the serving thread's longest stall while an article is narrated (the target is far lower). */
const MAX_STALL_MS = 100;

/** This thread's CPU time in ms (Linux: from /proc, 10 ms steps), or undefined elsewhere. */
function threadCpuMs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Watches the event loop every 5 ms and keeps the longest stall. On a busy machine the process
 * may simply not be scheduled for a while; a stall counts only as long as this thread spent it
 * on the CPU (plus one clock step), so only work done on the event loop makes it long.
 */
function watchStalls() {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let longest = 0;
  let last = performance.now();
  let lastCpu = threadCpuMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const gap = now - last - 5;
    const busy = cpu === undefined || lastCpu === undefined ? gap : Math.min(gap, cpu - lastCpu + 10);
    longest = Math.max(longest, busy);
    last = now;
    lastCpu = cpu;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      return { longestMs: Math.round(longest), loopMaxMs: Math.round(histogram.max / 1e6) };
    },
  };
}

// One paragraph said 150 times: a long article (about 5,000 words and 40 minutes of audio) that
// the engine speaks once, since equal paragraphs share their audio.
const PARAGRAPH =
  'On Oct. 5 the council approved a $412 million budget by a vote of 7-2, after Dr. Chen told members that ' +
  'the plan for 2027 keeps 3.5% in reserve, adds 120 teachers and repairs the Route 9 bridge before winter.';
const BODY = Array.from({ length: 150 }, () => PARAGRAPH).join('\n\n');

describe.each(DIALECTS)('narrating a long article on %s', (dialect) => {
  let t: TestDb;
  let narrator: Narrator;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    narrator = createNarrator({ db: t.db, dataDir: t.dataDir });
  });
  afterAll(async () => {
    narrator.close();
    await t.destroy();
  });

  it('keeps the serving thread free: script, encoding and joining run in the synthesis host', async () => {
    const article = await makeArticle(t.db, { headline: 'The long budget story', body: BODY });
    const runner = createJobRunner({ db: t.db, handlers: narrator.handlers, backoff: () => 0 });
    inServer.script = 0;
    inServer.mp3 = 0;
    const watch = watchStalls();
    expect(await runner.runDue()).toBe(1);
    const stalls = watch.stop();
    const row = await t.db.selectFrom('narrations').selectAll().where('article_id', '=', article.id).executeTakeFirstOrThrow();
    expect(row.status, row.error ?? '').toBe('ready');
    expect(row.duration_ms).toBeGreaterThan(30 * 60_000);
    expect(JSON.parse(row.timings ?? '{}').p).toHaveLength(153);
    expect({ script: inServer.script, mp3: inServer.mp3 }).toEqual({ script: 0, mp3: 0 });
    expect(stalls.longestMs, `event loop stalls (max delay ${stalls.loopMaxMs} ms)`).toBeLessThan(MAX_STALL_MS);
  }, 120_000);
});
