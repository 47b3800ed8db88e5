import v8 from 'node:v8';

/**
 * The garbage collector's sizes for a server process, chosen for a small resident set.
 *
 * A server allocates fast and keeps little: the live heap of a busy Gazette process is 25–40 MB.
 * Left to its defaults, V8 lets the old generation grow to several times the live heap before a
 * full collection and grows the young generation to 32 MB, so a burst of work leaves 60–90 MB of
 * garbage resident. Here the old generation may grow by half its live size between full
 * collections (set at run time), and the young generation is held at 16 MB (two 8 MB halves).
 *
 * V8 takes the young generation's bound only when the process starts, so it is a flag on the
 * command line: `bin/gazette.js` carries it in its first line (`npx gazette …`), `npm start` passes
 * it, and the cluster's primary gives it to its workers. (Turning the young generation's growth
 * off at run time once it reached its bound was tried: under a burst of first renders V8 grew it
 * to 32 MB before the collector's observers ran.) An operator who sets either flag keeps it.
 */
export const OLD_GROWTH_PERCENT = 50;
export const YOUNG_LIMIT_BYTES = 16 << 20;
/** The flag that bounds the young generation (each of its two halves, in MB). */
export const YOUNG_FLAG = `--max-semi-space-size=${YOUNG_LIMIT_BYTES / 2 / (1 << 20)}`;

const setByOperator = (flag: string, execArgv = process.execArgv) =>
  [...execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes(flag));

/** A server process's Node flags: `execArgv` and the young generation's bound, unless the operator chose one. */
export function serverExecArgv(execArgv: string[] = process.execArgv): string[] {
  return setByOperator('semi-space', execArgv) ? execArgv : [...execArgv, YOUNG_FLAG];
}

let tuned = false;

/** Applies the server's run-time heap setting to this process (once; later calls do nothing). */
export function tuneHeap(): void {
  if (tuned) return;
  tuned = true;
  if (!setByOperator('heap-growing-percent')) v8.setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
}
