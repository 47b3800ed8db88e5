import type { FastifyRequest } from 'fastify';
import type { SiteSettings } from '../settings/settings.service.js';
import { SESSION_COOKIE } from '../users/session.service.js';

/** Query parameters that carry a message for one reader (e.g. "your comment awaits moderation"). */
export const PERSONAL_PARAMS = ['comment'];
const MAX_URL = 1024;

/**
 * A request whose page may differ from everyone else's: a staff session, an API token, a
 * per-reader message in the query, or a URL too long to be worth keeping.
 */
export function isPersonal(request: FastifyRequest): boolean {
  const cookie = request.headers.cookie;
  if (cookie?.includes(`${SESSION_COOKIE}=`)) return true;
  if (request.headers.authorization) return true;
  const url = request.url;
  if (url.length > MAX_URL) return true;
  const q = url.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    if (PERSONAL_PARAMS.some((p) => params.has(p))) return true;
  }
  return false;
}

/**
 * The cache key of a page: scheme, host and path with query. The host is part of it because
 * canonical links are built from it when no site URL is set.
 */
export function pageUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url}`;
}

/** br, else gzip, else identity, from Accept-Encoding (q=0 refuses a coding). */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  if (!header) return null;
  const value = Array.isArray(header) ? header.join(',') : header;
  const accepted = new Set<string>();
  for (const part of value.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

export function cacheControlFor(settings: Pick<SiteSettings, 'cacheMaxAge' | 'cacheStaleWhileRevalidate'>): string {
  const maxAge = Math.max(0, Math.floor(settings.cacheMaxAge));
  const swr = Math.max(0, Math.floor(settings.cacheStaleWhileRevalidate));
  return `public, max-age=${maxAge}${swr ? `, stale-while-revalidate=${swr}` : ''}`;
}
