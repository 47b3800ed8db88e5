import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ConnectOptions } from '../db/connect.js';
import type { BeaconSink } from './analytics.ingest.js';
import type { Pending } from './analytics.writer.js';

export type ThreadRequest =
  | { id: number; op: 'write'; batch: Pending[]; now: Date }
  | { id: number; op: 'upkeep'; now: Date; retentionDays: number }
  | { id: number; op: 'close' };

/** A request before it is numbered. */
type Unsent = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export type ThreadAnswer = { id: number; ok: true } | { id: number; ok: false; error: string };

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');

/** The thread's module: the built file beside this one, or the TypeScript source through tsx (development, tests). */
function startThread(database: ConnectOptions): Worker {
  if (!fromSource) return new Worker(join(dirname(here), 'analytics.thread.js'), { workerData: database });
  // tsx's ES module API (the file its exports map gives for "tsx/esm/api"), loaded by absolute address.
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(manifest), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = pathToFileURL(join(dirname(here), 'analytics.thread.ts')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: database });
}

/**
 * Batches written by a worker thread with its own connection (two at most on PostgreSQL).
 * better-sqlite3 works synchronously: in the server's thread a batch's transaction would hold
 * every request up; on PostgreSQL the hashing and the rows of thousands of beacons would.
 * The thread starts on the first batch and is started again if it ever stops.
 */
export function threadSink(database: ConnectOptions): BeaconSink {
  let worker: Worker | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = startThread({ ...database, pgPool: 2 });
    // Idle, it does not keep the process alive; while a batch is being written it does (the last
    // flush at shutdown must finish before the process may end).
    w.unref();
    w.on('message', (answer: ThreadAnswer) => {
      const entry = waiting.get(answer.id);
      if (!entry) return;
      waiting.delete(answer.id);
      if (waiting.size === 0) w.unref();
      if (answer.ok) entry.resolve();
      else entry.reject(new Error(answer.error));
    });
    w.on('error', (error) => {
      if (worker === w) worker = undefined;
      failAll(error);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`the analytics writer stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  };
  const send = (request: Unsent) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      const w = thread();
      w.ref();
      w.postMessage({ ...request, id });
    });
  return {
    write: (batch, now) => send({ op: 'write', batch, now }),
    upkeep: (now, retentionDays) => send({ op: 'upkeep', now, retentionDays }),
    async close() {
      const w = worker;
      if (!w) return;
      await send({ op: 'close' }).catch(() => {});
      worker = undefined;
      await w.terminate();
    },
  };
}
