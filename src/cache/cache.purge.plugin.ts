import type { FastifyInstance } from 'fastify';
import { startCdnPurge } from '../cdn/cdn.purge.js';
import { type SiblingPurge, startSiblingPurge } from '../cluster/siblings.js';
import type { PageCacheConfig } from './cache.config.js';
import type { PageCache } from './page.cache.js';
import { type PurgeFanout, startFanout } from './purge.fanout.js';
import { PurgePoller } from './purge.poller.js';
import { siteChannel } from './purge.site.js';

const SAFE = new Set(['GET', 'HEAD']);

export interface Purging {
  poller?: PurgePoller;
  /** The Redis nudges between instances, once started (when REDIS_URL is set). */
  fanout?: PurgeFanout;
}

/**
 * Keeping stored pages exact: recorded events are read (poller), the keys they changed
 * (keys.ts) are dropped from this instance's memory and from a CDN in front, other instances
 * are nudged through Redis and other workers of this cluster directly; a write purges what it
 * changed before its answer goes out.
 */
export function installPurging(app: FastifyInstance, store: PageCache | undefined, config: PageCacheConfig | undefined): Purging {
  // A CDN in front (src/cdn/) is purged with the same keys, after this instance's own memory.
  const cdn = startCdnPurge(app);
  const purging: Purging = {};
  if (!store && !cdn) return purging;
  const poller = new PurgePoller({
    db: app.gazette.db,
    intervalMs: config?.pollMs ?? 250,
    purge: (keys) => {
      store?.purge(keys);
      cdn?.purge(keys);
    },
    onError: (err) => app.log.warn({ err }, 'page cache: reading events failed'),
    // Whichever instance reads new events first tells the others (writes of any process: HTTP, scheduler, CLI).
    onEvents: (lastId) => purging.fanout?.announce(lastId),
    // Other instances' settings changes too: the next render reads them, not this process's copy.
    onSettingsChanged: () => app.gazette.invalidateSettings(),
  });
  purging.poller = poller;
  let siblings: SiblingPurge | undefined;

  app.addHook('onReady', async () => {
    await poller.start();
    siblings = startSiblingPurge((announcedUpTo) => poller.sync({ announcedUpTo }));
    // Started without waiting for Redis: while it is away, the poller alone purges (fail-open).
    if (config?.redisUrl) {
      purging.fanout = startFanout({
        url: config.redisUrl,
        channel: await siteChannel(app.gazette.db),
        onNudge: (announcedUpTo) =>
          void poller.sync({ announcedUpTo }).catch((err) => app.log.warn({ err }, 'page cache: reading events failed')),
        log: app.log,
      });
    }
  });
  app.addHook('onClose', async () => {
    poller.stop();
    siblings?.close();
    await purging.fanout?.close();
  });

  // A write: purge what it changed before answering, so the next page this client asks for is fresh.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (SAFE.has(request.method)) return payload;
    await poller.sync().catch((err) => request.log.warn({ err }, 'page cache: reading events failed'));
    // Other workers of this cluster purge before the answer goes out (their caches are their own).
    if (siblings) await siblings.purgeAll(poller.lastSeen);
    return payload;
  });
  return purging;
}
