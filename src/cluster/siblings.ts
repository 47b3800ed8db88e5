import { isClusterMessage, isClusterWorker, PURGE_ACK, PURGE_DONE, PURGE_NOW, PURGE_REQUEST, type PurgeMessage } from './messages.js';

/** Longest a write's answer waits for the other workers to purge (a stuck worker must not hold it). */
const WAIT_MS = 1000;

export interface SiblingPurge {
  /** Resolves once every other worker has read the events table (or after WAIT_MS). `upTo`: the events this worker read and announced. */
  purgeAll(upTo: number): Promise<void>;
  close(): void;
}

/**
 * The worker's side of purging across the cluster. Each worker keeps its own page cache; after
 * a write, the worker that answers it has the others read the events table before the answer
 * goes out, so the writer's next page is fresh whichever worker serves it. `readEvents` is that
 * worker's purge poller sync, told up to which event the writer had read. Outside a cluster: undefined.
 */
export function startSiblingPurge(readEvents: (announcedUpTo: number | undefined) => Promise<void>): SiblingPurge | undefined {
  if (!isClusterWorker()) return undefined;
  const raw = process.send?.bind(process);
  if (!raw) return undefined;
  // With a callback a closed channel is reported to it instead of thrown as an 'error' event.
  const send = (message: object, onFail?: () => void) => raw(message, undefined, undefined, (error) => error && onFail?.());
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  const onMessage = (message: unknown) => {
    if (isClusterMessage(message, PURGE_NOW)) {
      const { id } = message;
      readEvents((message as PurgeMessage).upTo)
        .catch(() => undefined)
        .finally(() => send({ type: PURGE_ACK, id }));
    } else if (isClusterMessage(message, PURGE_DONE)) {
      waiting.get(message.id)?.();
    }
  };
  process.on('message', onMessage);
  return {
    purgeAll(upTo) {
      const id = nextId++;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, WAIT_MS);
        function done() {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        }
        waiting.set(id, done);
        send({ type: PURGE_REQUEST, id, upTo }, done);
      });
    },
    close() {
      process.off('message', onMessage);
      for (const done of [...waiting.values()]) done();
    },
  };
}
