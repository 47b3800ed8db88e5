import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/**
 * The garbage collector's sizes for a server process, chosen for a small resident set.
 *
 * A server allocates fast and keeps little: the live heap of a busy Gazette process is 25–40 MB.
 * Left to its defaults, V8 lets the old generation grow to several times the live heap before a
 * full collection and grows the young generation to 32 MB, so a burst of work leaves 60–90 MB of
 * garbage resident. Here the old generation may grow by half its live size between full
 * collections, and the young generation stops growing at 16 MB (two 8 MB halves).
 *
 * Node only takes `--max-semi-space-size` before it starts. At run time the young generation is
 * held at its bound by turning its growth off once it gets there (and on again if V8 shrinks it
 * while idle). An operator who sets either flag in NODE_OPTIONS or on the command line keeps it.
 */
export const OLD_GROWTH_PERCENT = 50;
export const YOUNG_LIMIT_BYTES = 16 << 20;

const setByOperator = (flag: string) => [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes(flag));

function youngSize(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

let tuned = false;

/** Applies the server's heap sizes to this process (once; later calls do nothing). */
export function tuneHeap(): void {
  if (tuned) return;
  tuned = true;
  if (!setByOperator('heap-growing-percent')) v8.setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
  if (setByOperator('semi-space')) return;
  let factor: 1 | 2 = 2;
  const check = () => {
    const want = youngSize() >= YOUNG_LIMIT_BYTES ? 1 : 2;
    if (want === factor) return;
    factor = want;
    v8.setFlagsFromString(`--semi-space-growth-factor=${want}`);
  };
  check();
  new PerformanceObserver(check).observe({ entryTypes: ['gc'] });
}
