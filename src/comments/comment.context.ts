import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyCsrf } from '../web/auth.js';
import type { Gazette } from '../web/context.js';
import type { RateLimitStore } from './comment.limiter.js';
import { RATE_PREFIX } from './comment.limiter.redis.js';
import { openRateLimits, type RateLimits } from './comment.limits.js';
import { RateLimited } from './comment.rules.js';
import { throttleStore } from './comment.throttles.js';
import { stampAge } from './comment.token.js';
import { STAMP_FIELD } from './discussion.views.js';

const limits = new WeakMap<Gazette, RateLimits>();

/** Opened while the app is built (`sharedThrottles` in app.ts), so its hooks can still be added. */
function rateLimits(app: FastifyInstance): RateLimits {
  let found = limits.get(app.gazette);
  if (!found) {
    const opened = openRateLimits({ redisUrl: app.gazette.config.redisUrl, log: app.log });
    app.addHook('onReady', () => opened.ready());
    app.addHook('onClose', () => opened.close());
    limits.set(app.gazette, opened);
    found = opened;
  }
  return found;
}

/** The comment rate-limit store of this application (one per app, shared by its routes). */
export function commentLimiter(app: FastifyInstance): RateLimitStore {
  return rateLimits(app).store;
}

/**
 * Options for @fastify/rate-limit (login and report throttles): with REDIS_URL they count in
 * the same Redis as the comment limits. While Redis is away they are skipped rather than failing
 * the request; argon2 still makes each password guess slow. In a cluster worker they count
 * through the primary, like the comment limits; a single process keeps them in its own memory.
 */
export function sharedThrottles(app: FastifyInstance): Partial<RateLimitPluginOptions> {
  const { kind, store, redis } = rateLimits(app);
  if (redis) return { redis, nameSpace: `${RATE_PREFIX}http:`, skipOnError: true };
  return kind === 'cluster' ? { store: throttleStore(store) } : {};
}

/** Milliseconds since the form's signed stamp, or null when the stamp or the CSRF token is missing or wrong. */
export async function formAge(request: FastifyRequest): Promise<number | null> {
  try {
    await verifyCsrf(request);
  } catch {
    return null;
  }
  return stampAge(request.server.gazette.config.secret, (request.body as Record<string, unknown>)[STAMP_FIELD]);
}

export function setRetryAfter(reply: FastifyReply, error: unknown) {
  if (error instanceof RateLimited) reply.header('Retry-After', String(error.retryAfter));
}
