import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { serverExecArgv, YOUNG_FLAG, YOUNG_LIMIT_BYTES } from '../src/heap.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { freePort, untilHealthy } from './hostile/hostile.helpers.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

/** The largest young generation seen by the probe, in its own Node process. */
async function probe(nodeFlags: string[]): Promise<{ maxYoung: number }> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', 'test/heap.probe.ts'], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

/** The Node flags a running process was started with (from /proc). */
const flagsOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

describe('server heap sizes', () => {
  it('the young generation is held at its bound with the server flag, where V8 alone grows it past', async () => {
    const alone = await probe([]);
    const bounded = await probe([YOUNG_FLAG]);
    expect(alone.maxYoung).toBeGreaterThan(YOUNG_LIMIT_BYTES);
    expect(bounded.maxYoung).toBeLessThanOrEqual(YOUNG_LIMIT_BYTES);
  }, 90_000);

  it('the flag is on every way the server is started: npx gazette, npm start, cluster workers', () => {
    expect(readFileSync(join(ROOT, 'bin/gazette.js'), 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${YOUNG_FLAG}`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toContain(`node ${YOUNG_FLAG} bin/gazette.js start`);
    expect(serverExecArgv([])).toEqual([YOUNG_FLAG]);
  });

  it("leaves an operator's own young-generation size alone", () => {
    expect(serverExecArgv(['--max-semi-space-size=32'])).toEqual(['--max-semi-space-size=32']);
  });
});

describe('a cluster started through bin/gazette.js', () => {
  let t: TestDb | undefined;
  afterAll(() => t?.destroy());

  it('runs its primary and its workers with the bounded young generation', async () => {
    // bin/gazette.js runs the built server (a fresh clone has none until `npm run build`).
    if (!existsSync(join(ROOT, 'dist/server/main.js'))) await run(process.execPath, ['scripts/build-server.mjs'], { timeout: 120_000 });
    t = await createTestDb('sqlite');
    const port = await freePort();
    // Run as `npx gazette serve` runs it: the file itself, through its first line.
    const child = spawn(join(ROOT, 'bin/gazette.js'), ['serve'], {
      env: {
        ...process.env,
        GAZETTE_DATA: t.dataDir,
        DATABASE_URL: '',
        GAZETTE_SECRET: t.config.secret,
        GAZETTE_WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
    try {
      await untilHealthy(`http://127.0.0.1:${port}`, 30_000);
      const pid = child.pid as number;
      expect(flagsOf(pid)).toContain(YOUNG_FLAG);
      const workers = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      expect(workers.length).toBeGreaterThanOrEqual(2);
      for (const w of workers) expect(flagsOf(w)).toContain(YOUNG_FLAG);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
