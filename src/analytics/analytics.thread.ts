import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '../db/connect.js';
import type { ThreadAnswer, ThreadRequest } from './analytics.thread.client.js';
import { BeaconWriter } from './analytics.writer.js';

// The beacon writer's thread on SQLite: its own connection to the same database file, so the
// server's event loop never waits on a batch's transaction (a second core does the writing).
const port = parentPort;
if (!port) throw new Error('the analytics writer runs as a worker thread');
const { db } = connect({ dataDir: (workerData as { dataDir: string }).dataDir });
const writer = new BeaconWriter(db);
let queue: Promise<unknown> = Promise.resolve();

async function run(request: ThreadRequest): Promise<void> {
  if (request.op === 'write') await writer.write(request.batch, request.now);
  else if (request.op === 'upkeep') await writer.upkeep(request.now, request.retentionDays);
  else await db.destroy();
}

port.on('message', (request: ThreadRequest) => {
  // One request at a time, in the order sent.
  queue = queue.then(() =>
    run(request).then(
      () => port.postMessage({ id: request.id, ok: true } satisfies ThreadAnswer),
      (error: unknown) =>
        port.postMessage({
          id: request.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        } satisfies ThreadAnswer),
    ),
  );
});
