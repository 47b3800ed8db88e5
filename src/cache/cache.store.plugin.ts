import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SiteSettings } from '../settings/settings.service.js';
import { proxyTrust } from '../web/security.js';
import { isPersonal, pageUrl } from './cache.http.js';
import { missedAt } from './front.door.js';
import { etagOf, pickEncoding, replyStored, replyUnstored, writeHit } from './hit.http.js';
import { lookupPage } from './hit.lookup.js';
import { ROUTE_KEYS } from './keys.js';
import type { PageCache } from './page.cache.js';
import { type CachedPage, type Compressed, compressBody } from './page.compress.js';
import { trackKeys, untrack } from './tracker.js';

interface RequestState {
  keys: Set<string>;
  cacheable: boolean;
  personal: boolean;
  url: string;
  generation: number;
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

/**
 * Storing reader pages: each GET or HEAD collects the keys of what its page shows (tracker.ts);
 * a shareable 200 is stored with them after rendering and answered with the headers a hit will
 * get. Requests made without a socket (`app.inject`) are looked up here, as the doors look up the others.
 */
export function installStoring(app: FastifyInstance, store: PageCache | undefined): void {
  const trustProxy = proxyTrust(app.gazette.config.trustProxy);
  app.decorateReply('cacheKeys', function (this: FastifyReply, keys: string[]) {
    markCacheable(this, keys);
    return this;
  });

  app.addHook('onRequest', (request, reply, done) => {
    if (!SAFE.has(request.method)) return done();
    const missed = missedAt.get(request.raw);
    // Requests from a socket were looked up by the front door already; injected ones were not.
    const found = missed === undefined ? lookupPage(store, request.raw, trustProxy) : { url: missed, page: undefined };
    if (found.page) {
      reply.hijack();
      writeHit(request.raw, reply.raw, found.page);
      return;
    }
    const state: RequestState = {
      keys: new Set(),
      cacheable: false,
      personal: isPersonal(request.raw),
      url: found.url ?? pageUrl(request.raw, trustProxy),
      generation: store?.generation ?? 0,
      started: performance.now(),
      tracking: true,
    };
    states.set(request, state);
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
    const state = states.get(request);
    if (!state?.cacheable || !state.tracking) return payload;
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
    // No memory cache: still a validator and the CDN headers, but no compression work per render.
    if (!store) return replyUnstored(request, reply, page) ? null : payload;
    // A first store is compressed quickly; a page that proves popular is recompressed later (page.cache.ts).
    Object.assign(page, await compressPage(body, page.etag));
    page.grade = 'quick';
    page.hits = 0;
    // The rendered body is kept only for a client that takes no compression (page.compress.ts).
    if (pickEncoding(request.headers['accept-encoding']) !== null) page.body = undefined;
    store.set(state.url, page, state.generation);
    return replyStored(request, reply, page);
  });
}

export function cacheControlFor(settings: Pick<SiteSettings, 'cacheMaxAge' | 'cacheStaleWhileRevalidate'>): string {
  const maxAge = Math.max(0, Math.floor(settings.cacheMaxAge));
  const swr = Math.max(0, Math.floor(settings.cacheStaleWhileRevalidate));
  return `public, max-age=${maxAge}${swr ? `, stale-while-revalidate=${swr}` : ''}`;
}

/** The max-age, in ms, of a Cache-Control a route set itself; undefined when it set none. */
function declaredMaxAge(cacheControl: unknown): number | undefined {
  const m = /max-age=(\d+)/.exec(String(cacheControl ?? ''));
  return m ? Number(m[1]) * 1000 : undefined;
}

/**
 * Compressions under way, by the ETag of the body. When a page leaves the cache under heavy
 * traffic, every concurrent request renders it again; they share one compression instead of
 * each holding brotli's working memory at once.
 */
const compressing = new Map<string, Promise<Compressed>>();

/** The quick compression of a first render (page.compress.ts), shared by renders of the same body. */
export function compressPage(body: Buffer, etag: string = etagOf(body)): Promise<Compressed> {
  let running = compressing.get(etag);
  if (!running) {
    running = compressBody(body, 'quick').finally(() => compressing.delete(etag));
    compressing.set(etag, running);
  }
  return running;
}

function release(state: RequestState): void {
  if (!state.tracking) return;
  state.tracking = false;
  untrack();
}
