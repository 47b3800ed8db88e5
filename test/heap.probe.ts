// Run by heap.test.ts in its own process: allocates like a busy server (much garbage, some of it
// alive across collections) and prints the largest young generation it saw, in bytes.
import v8 from 'node:v8';

const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
let maxYoung = 0;
// A rolling window of "requests in flight": each lives a while, then is dropped.
const inFlight: unknown[][] = [];
for (let i = 0; i < 60_000; i++) {
  inFlight.push(Array.from({ length: 40 }, (_, k) => ({ k, text: `row ${i} ${k}`.repeat(3) })));
  if (inFlight.length > 400) inFlight.shift();
  if (i % 200 === 0) {
    await new Promise((r) => setImmediate(r));
    maxYoung = Math.max(maxYoung, young());
  }
}
console.log(JSON.stringify({ maxYoung }));
