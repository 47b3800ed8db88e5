import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { YOUNG_LIMIT_BYTES } from '../src/heap.js';

const run = promisify(execFile);

/** The largest young generation and heap seen by the probe, in its own Node process. */
async function probe(nodeFlags: string[], probeArgs: string[]): Promise<{ maxYoung: number; maxHeap: number }> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', 'test/heap.probe.ts', ...probeArgs], {
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

describe('server heap sizes', () => {
  it('hold the young generation at its bound, where V8 alone grows it past', async () => {
    const alone = await probe([], []);
    const tuned = await probe([], ['--tune']);
    expect(alone.maxYoung).toBeGreaterThan(YOUNG_LIMIT_BYTES);
    expect(tuned.maxYoung).toBeLessThanOrEqual(YOUNG_LIMIT_BYTES);
    expect(tuned.maxHeap).toBeLessThan(alone.maxHeap);
  }, 90_000);

  it("leave an operator's own young-generation size alone", async () => {
    const chosen = await probe(['--max-semi-space-size=32'], ['--tune']);
    expect(chosen.maxYoung).toBeGreaterThan(YOUNG_LIMIT_BYTES);
  }, 90_000);
});
