import { describe, expect, it } from 'vitest';
import { quietRepeats } from '../../src/ops/quiet.log.js';

describe('the background duties’ log', () => {
  it('writes a repeating poll failure once per period, counting those left out; each job failure always', () => {
    const lines: { obj: object; msg: string }[] = [];
    const sink = { info: () => undefined, error: (obj: object, msg: string) => lines.push({ obj, msg }) };
    let now = 1_000_000;
    const log = quietRepeats(sink, { repeatMs: 30_000, now: () => now });
    for (let i = 0; i < 5; i++) log.error({ n: i }, 'scheduler failed');
    log.error({ job: 1 }, 'job failed');
    log.error({ job: 2 }, 'job failed');
    expect(lines).toEqual([
      { obj: { n: 0 }, msg: 'scheduler failed' },
      { obj: { job: 1 }, msg: 'job failed' },
      { obj: { job: 2 }, msg: 'job failed' },
    ]);
    now += 30_000;
    log.error({ n: 5 }, 'scheduler failed');
    expect(lines.at(-1)).toEqual({ obj: { n: 5, repeated: 4 }, msg: 'scheduler failed' });
  });
});
