import { randomBytes } from 'node:crypto';
import type * as IORedis from 'ioredis';
import { lazy } from '../lazy.js';

const ioredis = lazy<typeof IORedis>('ioredis');

/** Waits between attempts to reach Redis: 0.2 s, doubling, at most 5 s. */
export const redisBackoff = (attempt: number) => Math.min(200 * 2 ** Math.min(attempt - 1, 5), 5000);

export interface PurgeFanout {
  /** Tells the other instances that new events were recorded. */
  announce(lastId: number): void;
  /** Whether the subscription is live now (false while Redis is away). */
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface FanoutOptions {
  url: string;
  /** This site's channel (purge.site.ts). */
  channel: string;
  /** Another instance read events up to `lastId` (NaN when its message does not say). */
  onNudge: (lastId: number) => void;
  log: { warn(obj: object, msg: string): void; info(msg: string): void };
}

/**
 * Redis pub/sub between instances: a nudge, not the truth. When one instance sees new events
 * it announces them and the others read the events table at once instead of at their next
 * poll; a lost message only delays a purge until then. Nothing waits for Redis: the instance
 * starts and serves while it is away (the events poller still purges every few hundred ms),
 * keeps trying with back-off, and subscribes when it answers. `close` ends the connections at
 * once, connected or not, so nothing keeps a stopping process alive.
 */
export function startFanout({ url, channel, onNudge, log }: FanoutOptions): PurgeFanout {
  const me = randomBytes(8).toString('hex');
  const { Redis } = ioredis();
  const common = { retryStrategy: redisBackoff, connectTimeout: 2000 };
  // Announcements are dropped while Redis is away (the poller covers them); the subscription waits.
  const pub = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sub = new Redis(url, { ...common, maxRetriesPerRequest: null });
  let down = false;
  let closed = false;
  const onError = (error: unknown) => {
    if (down || closed) return;
    down = true;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ reason }, 'page cache: Redis is unreachable; other instances purge at their next events poll until it answers');
  };
  pub.on('error', onError);
  sub.on('error', onError);
  sub.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('page cache: Redis answers again; purge nudges resume');
  });
  // Queued until the first connection; ioredis subscribes again after each reconnect.
  sub.subscribe(channel).catch((error) => closed || onError(error));
  sub.on('message', (from: string, message: string) => {
    if (from !== channel || message.startsWith(`${me}:`)) return;
    onNudge(Number(message.slice(message.indexOf(':') + 1)));
  });
  return {
    announce(lastId) {
      if (closed || pub.status !== 'ready') return;
      pub.publish(channel, `${me}:${lastId}`).catch(onError);
    },
    get connected() {
      return !closed && sub.status === 'ready';
    },
    async close() {
      closed = true;
      sub.disconnect();
      pub.disconnect();
    },
  };
}
