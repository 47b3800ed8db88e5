import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startCdnPurge } from '../cdn/cdn.purge.js';
import { cacheTagHeader } from '../cdn/cloudflare.js';
import { type SiblingPurge, startSiblingPurge } from '../cluster/siblings.js';
import { proxyTrust } from '../web/security.js';
import type { PageCacheConfig } from './cache.config.js';
import { cacheControlFor, isPersonal, pageUrl, pickEncoding } from './cache.http.js';
import { bodyOf, type FrontDoor, missedAt, pageHeaders, writeHit } from './front.door.js';
import { ROUTE_KEYS } from './keys.js';
import { type CachedPage, compressPage, etagMatches, etagOf, notModified, PageCache } from './page.cache.js';
import { type PurgeFanout, startFanout } from './purge.fanout.js';
import { PurgePoller } from './purge.poller.js';
import { siteChannel } from './purge.site.js';
import { trackKeys, untrack } from './tracker.js';

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

interface RequestState {
  keys: Set<string>;
  cacheable: boolean;
  personal: boolean;
  url: string;
  generation: number;
  served: boolean;
  started: number;
  /** Tracked for keys until its answer is complete. */
  tracking: boolean;
}

const states = new WeakMap<FastifyRequest, RequestState>();
const SAFE = new Set(['GET', 'HEAD']);

/** Marks the page being answered as shareable (called by sendPage for every reader page). */
export function markCacheable(reply: FastifyReply, keys: string[] = []): void {
  const state = states.get(reply.request);
  if (!state) return;
  state.cacheable = true;
  for (const key of keys) state.keys.add(key);
}

/** The answer of the render that just stored `page`: the same headers and bytes a hit will get. */
function sendStored(request: FastifyRequest, reply: FastifyReply, page: CachedPage) {
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const headers = pageHeaders(page, encoding, 'MISS');
  for (let i = 0; i < headers.length; i += 2) reply.header(headers[i], headers[i + 1]);
  if (notModified(request.headers, page)) {
    reply.code(304);
    return null;
  }
  return bodyOf(page, encoding);
}

/**
 * The page cache on the reader routes: answers from memory before routing, stores reader
 * pages after rendering, and keeps both exact by purging on recorded events.
 */
export async function installPageCache(app: FastifyInstance, config: PageCacheConfig | undefined, front?: FrontDoor): Promise<void> {
  const store = config?.enabled
    ? new PageCache({ maxBytes: config.maxBytes, ttlMs: config.ttlMs, recompressAfterHits: config.recompressAfterHits })
    : undefined;
  if (front) front.store = store;
  const trustProxy = proxyTrust(app.gazette.config.trustProxy);
  // A CDN in front (src/cdn/) is purged with the same keys, after this instance's own memory.
  const cdn = startCdnPurge(app);
  const poller =
    store || cdn
      ? new PurgePoller({
          db: app.gazette.db,
          intervalMs: config?.pollMs ?? 250,
          purge: (keys) => {
            store?.purge(keys);
            cdn?.purge(keys);
          },
          onError: (err) => app.log.warn({ err }, 'page cache: reading events failed'),
          // Whichever instance reads new events first tells the others (writes of any process: HTTP, scheduler, CLI).
          onEvents: (lastId) => fanout?.announce(lastId),
          // Other instances' settings changes too: the next render reads them, not this process's copy.
          onSettingsChanged: () => app.gazette.invalidateSettings(),
        })
      : undefined;
  let fanout: PurgeFanout | undefined;
  let siblings: SiblingPurge | undefined;
  const handle: PageCacheHandle = { store, poller, sync: () => poller?.sync() ?? Promise.resolve() };
  app.decorate('pageCache', handle);
  app.decorateReply('cacheKeys', function (this: FastifyReply, keys: string[]) {
    markCacheable(this, keys);
    return this;
  });

  app.addHook('onReady', async () => {
    if (!poller) return;
    await poller.start();
    siblings = startSiblingPurge(() => poller.sync({ nudged: true }));
    // Started without waiting for Redis: while it is away, the poller alone purges (fail-open).
    if (config?.redisUrl) {
      fanout = startFanout({
        url: config.redisUrl,
        channel: await siteChannel(app.gazette.db),
        onNudge: () => void poller.sync({ nudged: true }).catch((err) => app.log.warn({ err }, 'page cache: reading events failed')),
        log: app.log,
      });
      handle.fanout = fanout;
    }
  });
  app.addHook('onClose', async () => {
    store?.close();
    poller?.stop();
    siblings?.close();
    await fanout?.close();
  });

  app.addHook('onRequest', (request, reply, done) => {
    if (!SAFE.has(request.method)) return done();
    const missed = missedAt.get(request.raw);
    const state: RequestState = {
      keys: new Set(),
      cacheable: false,
      personal: isPersonal(request.raw),
      url: missed ?? pageUrl(request.raw, trustProxy),
      generation: store?.generation ?? 0,
      served: false,
      started: performance.now(),
      tracking: false,
    };
    states.set(request, state);
    // Requests from a socket were looked up by the front door already; injected ones were not.
    if (store && !state.personal && missed === undefined) {
      const page = store.get(state.url);
      if (page) {
        state.served = true;
        reply.hijack();
        writeHit(request.raw, reply.raw, page);
        return;
      }
    }
    state.tracking = true;
    // A client that leaves early ends the tracking too (the render, if still running, is then not stored).
    reply.raw.once('close', () => release(state));
    trackKeys(state.keys, done);
  });

  // Once the answer has gone out, nothing of this request notes keys any more.
  app.addHook('onResponse', async (request) => {
    const state = states.get(request);
    if (state) release(state);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!SAFE.has(request.method)) {
      // A write: purge what it changed before answering, so the next page this client asks for is fresh.
      if (poller) {
        await poller.sync().catch((err) => request.log.warn({ err }, 'page cache: reading events failed'));
        // Other workers of this cluster purge before the answer goes out (their caches are their own).
        if (siblings) await siblings.purgeAll();
      }
      return payload;
    }
    const state = states.get(request);
    if (!state || state.served || !state.cacheable || !state.tracking) return payload;
    if (state.personal || reply.hasHeader('set-cookie')) {
      reply.header('Cache-Control', 'private, no-store');
      return payload;
    }
    const declared = reply.getHeader('cache-control');
    if (
      reply.statusCode !== 200 ||
      /private|no-store|no-cache/i.test(String(declared ?? '')) ||
      !(typeof payload === 'string' || Buffer.isBuffer(payload))
    ) {
      return payload;
    }
    // How long the render took on the server (for the benchmark and for anyone reading headers).
    reply.header('Server-Timing', `render;dur=${(performance.now() - state.started).toFixed(2)}`);
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    for (const key of ROUTE_KEYS[request.routeOptions.url ?? ''] ?? []) state.keys.add(key);
    const page: CachedPage = {
      body,
      br: body,
      gzip: body,
      etag: etagOf(body),
      https: state.url.startsWith('https:'),
      contentType: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
      lastModified: reply.hasHeader('last-modified') ? String(reply.getHeader('last-modified')) : undefined,
      // A route that chose its own public lifetime (feeds, sitemaps) keeps it.
      cacheControl: declared ? String(declared) : cacheControlFor(await app.gazette.settings()),
      keys: [...state.keys].sort(),
      storedAt: Date.now(),
      // A document that declared a short life (the news sitemap's moving 48-hour window) lives no longer here.
      ttlMs: declaredMaxAge(declared),
    };
    if (!store) {
      // No memory cache: still a validator and the CDN headers, but no compression work per render.
      reply.header('Cache-Control', page.cacheControl).header('Surrogate-Key', page.keys.join(' ')).header('ETag', page.etag);
      const [tagName, tags] = cacheTagHeader(page.keys);
      if (tagName) reply.header(tagName, tags);
      if (etagMatches(request.headers['if-none-match'] as string | undefined, page.etag)) {
        reply.code(304);
        return null;
      }
      return payload;
    }
    // A first store is compressed quickly; a page that proves popular is recompressed later (page.cache.ts).
    Object.assign(page, await compressPage(body, page.etag));
    page.grade = 'quick';
    page.hits = 0;
    store.set(state.url, page, state.generation);
    return sendStored(request, reply, page);
  });
}

/** The max-age, in ms, of a Cache-Control a route set itself; undefined when it set none. */
function declaredMaxAge(cacheControl: unknown): number | undefined {
  const m = /max-age=(\d+)/.exec(String(cacheControl ?? ''));
  return m ? Number(m[1]) * 1000 : undefined;
}

function release(state: RequestState): void {
  if (!state.tracking) return;
  state.tracking = false;
  untrack();
}
