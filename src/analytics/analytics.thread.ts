import { parentPort, workerData } from 'node:worker_threads';
import { type ConnectOptions, connect } from '../db/connect.js';
import type { ThreadAnswer, ThreadRequest } from './analytics.thread.client.js';
import { BeaconWriter } from './analytics.writer.js';

// The beacon writer's thread: its own connection to the site's database (SQLite file or
// PostgreSQL), so the server's event loop never waits on a batch — its hashing, its rows, its
// transaction are done on another core.
const port = parentPort;
if (!port) throw new Error('the analytics writer runs as a worker thread');
const { db } = connect(workerData as ConnectOptions);
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
