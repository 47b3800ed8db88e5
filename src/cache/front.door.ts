import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyTrust } from '../web/security.js';
import { hitBytes, type RawAnswer, type RequestHead, writeHit } from './hit.http.js';
import { lookupPage } from './hit.lookup.js';
import type { PageCache } from './page.cache.js';
import { admitQueued } from './render.limit.js';

/** Answers a request on Node's own objects; false leaves it to the application. */
export type EarlyAnswer = (req: IncomingMessage, res: ServerResponse) => boolean;

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
  /** Endpoints answered here by path, before the cache and Fastify: ones that must stay cheap under load. */
  private readonly early = new Map<string, EarlyAnswer>();

  constructor(readonly trustProxy: ProxyTrust) {}

  /** Answers requests to `path` (any query) with `answer` first; it returns false to hand one on to Fastify. */
  answerFirst(path: string, answer: EarlyAnswer): void {
    this.early.set(path, answer);
  }

  /** True when the request was answered here: from the cache, or refused for a connection with too many waiting. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.early.size > 0) {
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const answer = this.early.get(query === -1 ? url : url.slice(0, query));
      if (answer?.(req, res)) return true;
    }
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
