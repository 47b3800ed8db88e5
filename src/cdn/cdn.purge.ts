import type { FastifyInstance } from 'fastify';
import { type CdnConfig, cdnConfig } from './cdn.config.js';
import { type CdnTarget, PurgeQueue, type PurgeQueueOptions } from './cdn.queue.js';
import { cloudflareTarget } from './cloudflare.js';
import { fastlyTarget } from './fastly.js';
import { varnishTarget } from './varnish.js';

export interface CdnPurge {
  /** Queues a purge of these keys (`*`: every page) at every target; returns at once. */
  purge(keys: string[]): void;
  /** True when nothing waits to be sent. */
  readonly idle: boolean;
  close(): Promise<void>;
}

export function cdnTargets(config: CdnConfig): CdnTarget[] {
  if (config.kind === 'varnish') return config.urls.map((url) => varnishTarget(url));
  if (config.kind === 'fastly') return [fastlyTarget(config)];
  return [cloudflareTarget(config)];
}

/**
 * The CDN in front of this instance, purged with the keys this instance purges from its own
 * memory. Every instance sends every purge it computes (purges are idempotent): the copy a CDN
 * fetched from a sibling that had not yet seen the change is then dropped by that sibling's own
 * purge, and no single instance has to be up for the CDN to stay fresh.
 */
export function startCdnPurge(app: FastifyInstance, config = cdnConfig(), opts?: PurgeQueueOptions): CdnPurge | undefined {
  if (!config) return undefined;
  const targets = cdnTargets(config);
  const queues = targets.map((target) => new PurgeQueue(target, app.log, opts));
  app.log.info({ targets: targets.map((t) => t.name) }, 'CDN purge on');
  const cdn: CdnPurge = {
    purge(keys) {
      if (keys.length) for (const queue of queues) queue.add(keys);
    },
    get idle() {
      return queues.every((q) => q.idle);
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
  app.addHook('onClose', () => cdn.close());
  return cdn;
}
