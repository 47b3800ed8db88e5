import { randomBytes } from 'node:crypto';
import type * as IORedis from 'ioredis';
import { lazy } from '../lazy.js';

const ioredis = lazy<typeof IORedis>('ioredis');

const CHANNEL = 'gazette:events';

export interface PurgeFanout {
  /** Tells the other instances that new events were recorded. */
  announce(lastId: number): void;
  close(): Promise<void>;
}

/**
 * Redis pub/sub between instances: a nudge, not the truth. When one instance sees new events
 * it announces them and the others read the events table at once instead of at their next
 * poll; a lost message only delays a purge until then.
 */
export async function startFanout(url: string, onNudge: () => void, onError: (error: unknown) => void): Promise<PurgeFanout> {
  const me = randomBytes(8).toString('hex');
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
  const { Redis } = ioredis();
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  pub.on('error', onError);
  sub.on('error', onError);
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(CHANNEL);
  sub.on('message', (_channel: string, message: string) => {
    if (!message.startsWith(`${me}:`)) onNudge();
  });
  return {
    announce(lastId) {
      pub.publish(CHANNEL, `${me}:${lastId}`).catch(onError);
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
