import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateLimitStore } from './comment.limiter.js';

/** Throttle keys start with this, apart from the comment limits' `ip:` and `email:` keys. */
export const THROTTLE_PREFIX = 'http:';

/** What @fastify/rate-limit hands a store: its options, and for a route's store that route. */
interface ThrottleParams {
  routeInfo?: { method?: string | string[]; url?: string };
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

type Done = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store (the login and report throttles) that counts in one of Gazette's
 * rate-limit stores: given a worker's cluster store, every worker of the machine shares one count
 * per key, kept by the primary. Each route counts apart, under `http:<METHOD><url>-<key>` (the
 * keys @fastify/rate-limit uses in Redis). Hits are a sliding window, like the comment limits,
 * and a refused hit is not counted.
 */
export function throttleStore(limits: RateLimitStore, clock: () => number = Date.now): FastifyRateLimitStoreCtor {
  class ThrottleStore {
    constructor(
      params: ThrottleParams,
      private readonly prefix = THROTTLE_PREFIX,
    ) {
      if (params.continueExceeding || params.exponentialBackoff) {
        throw new Error('throttles counted in the shared rate-limit store support neither continueExceeding nor exponentialBackoff');
      }
    }

    incr(key: string, done: Done, timeWindow: number, max: number) {
      if (max < 1) return done(null, { current: 1, ttl: timeWindow });
      limits.hit([this.prefix + key], [{ max, windowMs: timeWindow }], clock()).then(
        ({ ok, retryAfter, remaining }) =>
          done(null, ok ? { current: max - (remaining ?? max - 1), ttl: timeWindow } : { current: max + 1, ttl: retryAfter * 1000 }),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    }

    /** Typed as the route's options; the plugin passes its own options for the route, with `routeInfo`. */
    child(options: object) {
      const params = options as ThrottleParams;
      const { method = '', url = '' } = params.routeInfo ?? {};
      return new ThrottleStore(params, `${THROTTLE_PREFIX}${method}${url}-`);
    }
  }
  return ThrottleStore;
}
