import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyTrust } from '../web/security.js';
import { hitBytes, type RawAnswer, type RequestHead, writeHit } from './hit.http.js';
import { lookupPage } from './hit.lookup.js';
import type { PageCache } from './page.cache.js';
import { admitQueued } from './render.limit.js';

/** Requests the front door already looked up and missed, with their cache key (the hooks need not look again). */
export const missedAt = new WeakMap<IncomingMessage, string>();

/**
 * The server's first look at every request: a reader page in the cache is written straight to
 * the socket before Fastify builds its request and reply objects, routes, or runs any hook.
 * Anything else (a miss, a write, a personal request) goes on to the application.
 */
export class FrontDoor {
  /** Set once the page cache is installed; without it every request goes on. */
  store: PageCache | undefined;

  constructor(private readonly trustProxy: ProxyTrust) {}

  /** True when the request was answered here: from the cache, or refused for a connection with too many waiting. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const { page, url } = lookupPage(this.store, req, this.trustProxy);
    if (!page) {
      if (!admitQueued(req, res)) return true;
      if (url) missedAt.set(req, url);
      return false;
    }
    writeHit(req, res, page);
    return true;
  }

  /** A hit as bytes for the socket door (src/cache/socket.door.ts); undefined when the application must answer. */
  answer(req: RequestHead): RawAnswer | undefined {
    const { page } = lookupPage(this.store, req, this.trustProxy);
    return page && hitBytes(req, page);
  }
}
