import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, sessionActor } from '../users/session.service.js';
import { tokenActor } from '../users/token.service.js';
import type { Actor, Role } from '../users/user.table.js';

export const CSRF_COOKIE = 'gz_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const actors = new WeakMap<FastifyRequest, Actor | null>();

/** Who is making this request: a bearer token, else a staff session cookie, else nobody. Cached per request. */
export async function getActor(request: FastifyRequest): Promise<Actor | null> {
  if (actors.has(request)) return actors.get(request) ?? null;
  const { db } = request.server.gazette;
  let actor: Actor | null = null;
  const auth = request.headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    actor = match ? ((await tokenActor(db, match[1])) ?? null) : null;
    if (!actor) {
      actors.set(request, null);
      throw new AppError('unauthorized', 'The API token is missing, malformed, unknown or revoked.');
    }
  } else {
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) actor = (await sessionActor(db, cookie)) ?? null;
  }
  actors.set(request, actor);
  return actor;
}

function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/**
 * The CSRF token for this visitor's forms: bound to the staff session when there is one, else
 * to a random cookie (set here when missing), so it never has to be baked into shared HTML.
 */
export async function csrfToken(request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const { secret } = request.server.gazette.config;
  const actor = await getActor(request).catch(() => null);
  if (actor?.sessionId) return hmac(secret, `session|${actor.sessionId}`);
  let anon = request.cookies?.[CSRF_COOKIE];
  if (!anon || anon.length > 100) {
    anon = randomBytes(18).toString('base64url');
    reply.setCookie(CSRF_COOKIE, anon, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
    });
  }
  return hmac(secret, `anon|${anon}`);
}

const same = (expected: string, given: string) =>
  expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));

/**
 * Refuses a state-changing request whose CSRF token (form field or header) does not match. With a
 * staff session only the token derived from that session counts (an anonymous `gz_csrf` cookie a
 * neighbour planted cannot stand in for it), and the browser must not say the request came from
 * another site. Without a session (reader forms, the login page) the random cookie's token counts.
 */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  const { secret } = request.server.gazette.config;
  const body = request.body as Record<string, unknown> | undefined;
  const given = String((body && typeof body === 'object' ? body[CSRF_FIELD] : undefined) ?? request.headers[CSRF_HEADER] ?? '');
  const actor = await getActor(request).catch(() => null);
  if (actor?.sessionId) {
    await verifySameSite(request);
    if (same(hmac(secret, `session|${actor.sessionId}`), given)) return;
  } else {
    const anon = request.cookies?.[CSRF_COOKIE];
    if (anon && same(hmac(secret, `anon|${anon}`), given)) return;
  }
  throw new AppError('csrf', 'This form has expired or was not sent from this site. Reload the page and try again.');
}

/**
 * Staff actions come from this site's own pages: a browser's `Sec-Fetch-Site: cross-site`, or an
 * `Origin` that is neither this address nor the configured site URL, is refused. (The browser
 * sets both headers; a page on another site cannot change them.)
 */
async function verifySameSite(request: FastifyRequest): Promise<void> {
  const fetchSite = String(request.headers['sec-fetch-site'] ?? '');
  const refuse = () =>
    new AppError('csrf', 'This request came from another site: staff changes are accepted only from the pages of this site.');
  if (fetchSite === 'cross-site') throw refuse();
  // A browser that vouches for the request's own origin needs no further look.
  if (fetchSite === 'same-origin') return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const { siteUrl } = await request.server.gazette.settings();
  if (!sameOrigin(origin, request.host, siteUrl)) throw refuse();
}

/** True when an `Origin` header names this host, or the site URL's origin. */
function sameOrigin(origin: string, host: string, siteUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed pages, privacy redirects) and anything malformed
  }
  try {
    // The Host header read with the origin's scheme, so default ports compare equal.
    if (host && new URL(`${parsed.protocol}//${host}`).host === parsed.host) return true;
    return Boolean(siteUrl) && new URL(siteUrl).origin === parsed.origin;
  } catch {
    return false;
  }
}

/**
 * For staff pages: nobody logged in → to the login page; the wrong role → 403. Unsafe methods
 * must also carry a valid CSRF token.
 */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'private, no-store');
    const actor = await getActor(request);
    if (!actor) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/admin/login${next}`, 303);
    }
    if (!roles.includes(actor.role)) throw new AppError('forbidden', 'Your role does not allow this.');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && actor.kind === 'session') await verifyCsrf(request);
  };
}

/** For /api/v1: no or bad token → 401; the wrong role → 403. Session callers (newsroom scripts) need a CSRF header. */
export function requireApiRole(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'private, no-store');
    const actor = await getActor(request);
    if (!actor) throw new AppError('unauthorized', 'Send an API token in the Authorization: Bearer header.');
    if (!roles.includes(actor.role)) throw new AppError('forbidden', `This needs one of these roles: ${roles.join(', ')}.`);
    if (actor.kind === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) await verifyCsrf(request);
  };
}

/** The actor of a request that passed requireRole/requireApiRole. */
export async function actorOf(request: FastifyRequest): Promise<Actor> {
  const actor = await getActor(request);
  if (!actor) throw new AppError('unauthorized', 'Log in first.');
  return actor;
}
