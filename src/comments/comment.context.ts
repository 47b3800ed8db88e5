import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyCsrf } from '../web/auth.js';
import type { Gazette } from '../web/context.js';
import { MemoryRateLimitStore, type RateLimitStore } from './comment.limiter.js';
import { RateLimited } from './comment.rules.js';
import { stampAge } from './comment.token.js';
import { STAMP_FIELD } from './discussion.views.js';

const limiters = new WeakMap<Gazette, RateLimitStore>();

/** The rate-limit store of this application (one per app, shared by its routes). */
export function commentLimiter(app: FastifyInstance): RateLimitStore {
  let store = limiters.get(app.gazette);
  if (!store) {
    store = new MemoryRateLimitStore();
    limiters.set(app.gazette, store);
  }
  return store;
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

/** A browser script asking for JSON rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function setRetryAfter(reply: FastifyReply, error: unknown) {
  if (error instanceof RateLimited) reply.header('Retry-After', String(error.retryAfter));
}

export const asRecord = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
