import type { FastifyInstance } from 'fastify';
import type { PageCacheConfig } from './cache.config.js';
import { installPurging } from './cache.purge.plugin.js';
import { installStoring } from './cache.store.plugin.js';
import type { FrontDoor } from './front.door.js';
import { PageCache } from './page.cache.js';
import type { PurgeFanout } from './purge.fanout.js';
import type { PurgePoller } from './purge.poller.js';

export interface PageCacheHandle {
  /** The in-memory pages; undefined when the cache is off. */
  store?: PageCache;
  poller?: PurgePoller;
  /** The Redis nudges between instances, when REDIS_URL is set. */
  fanout?: PurgeFanout;
  /** Reads new events now and purges what they changed. */
  sync(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCacheHandle;
  }
  interface FastifyReply {
    /** Makes this answer a shareable reader page carrying these cache keys (see src/cache/keys.ts). */
    cacheKeys(keys: string[]): FastifyReply;
  }
}

/**
 * The page cache on the reader routes: hits are answered by the doors (front.door.ts,
 * socket.door.ts) or, for injected requests, by the storing hooks; reader pages are stored
 * after rendering (cache.store.plugin.ts) and kept exact by purging on recorded events
 * (cache.purge.plugin.ts).
 */
export async function installPageCache(app: FastifyInstance, config: PageCacheConfig | undefined, front?: FrontDoor): Promise<void> {
  const store = config?.enabled
    ? new PageCache({ maxBytes: config.maxBytes, ttlMs: config.ttlMs, recompressAfterHits: config.recompressAfterHits })
    : undefined;
  if (front) front.store = store;
  const purging = installPurging(app, store, config);
  const handle: PageCacheHandle = {
    store,
    poller: purging.poller,
    get fanout() {
      return purging.fanout;
    },
    sync: () => purging.poller?.sync() ?? Promise.resolve(),
  };
  app.decorate('pageCache', handle);
  app.addHook('onClose', async () => store?.close());
  installStoring(app, store);
}
