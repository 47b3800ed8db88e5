// Loaded into `gazette serve` by the busy-moment benchmark (NODE_OPTIONS=--import …): writes the
// event loop's delay, four times a second, as a JSON line to BENCH_LOOP_FILE. Other processes that
// inherit NODE_OPTIONS (the synthesis host) are left alone.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
if (file && process.argv.includes('serve')) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  setInterval(() => {
    const line = { t: Date.now(), maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    delay.reset();
  }, 250).unref();
}
