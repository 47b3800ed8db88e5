import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNS = 40;

/** Many short runs of the WebAssembly engine in a fresh Node process, as the synthesis host makes them. */
const script = `
const { fliteEngine } = await import(${JSON.stringify(join(ROOT, 'src/narration/flite.engine.ts'))});
for (let i = 0; i < ${RUNS}; i++) {
  await fliteEngine.synthesize('Regulators block supermarket merger.', { voice: 'rms', rate: 1, workDir: process.env.WORK });
}
console.log('done');
`;

describe('the speech engine run after run', () => {
  const work = mkdtempSync(join(tmpdir(), 'gazette-flite-runs-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(`keeps its process alive over ${RUNS} runs (Node aborted when a finished run was collected during the next)`, () => {
    // No --expose-gc: the engine must not depend on how its process was started.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, WORK: work },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ signal: child.signal, status: child.status }).toEqual({ signal: null, status: 0 });
    expect(child.stdout.trim()).toBe('done');
  });
});
