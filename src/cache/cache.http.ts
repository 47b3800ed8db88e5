import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../users/session.service.js';
import type { ProxyTrust } from '../web/security.js';

/** Query parameters that carry a message for one reader (e.g. "your comment awaits moderation"). */
export const PERSONAL_PARAMS = ['comment'];
const MAX_URL = 1024;
/** WordPress short links (`/?p=123`, `/?page_id=45`, `/index.php?p=123`): never answered from the cache. */
const SHORT_LINK_PATHS = new Set(['/', '/index.php']);
const SHORT_LINK_PARAMS = ['p', 'page_id'];

/**
 * A request whose page may differ from everyone else's: a staff session, an API token, a
 * per-reader message in the query, or a URL too long to be worth keeping.
 */
export function isPersonal(request: { headers: IncomingHttpHeaders; url?: string }): boolean {
  const cookie = request.headers.cookie;
  if (cookie?.includes(`${SESSION_COOKIE}=`)) return true;
  if (request.headers.authorization) return true;
  const url = request.url ?? '';
  if (url.length > MAX_URL) return true;
  const q = url.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    if (PERSONAL_PARAMS.some((p) => params.has(p))) return true;
    // A WordPress short link may answer 301 to an imported article: the front page's route decides.
    if (SHORT_LINK_PATHS.has(url.slice(0, q)) && SHORT_LINK_PARAMS.some((p) => params.has(p))) return true;
  }
  return false;
}

/** The last of a header's comma-separated values (the one the nearest proxy added). */
function lastEntry(value: string | string[]): string {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  const comma = v.lastIndexOf(',');
  return (comma === -1 ? v : v.slice(comma + 1)).trim();
}

/**
 * The cache key of a page: scheme, host and path with query. The host is part of it because
 * canonical links are built from it when no site URL is set. Behind a trusted proxy the scheme
 * and host come from `X-Forwarded-Proto` / `X-Forwarded-Host`, as they do for the page itself.
 * It reads the bare Node request so the front door and the Fastify hooks agree on it.
 */
export function pageUrl(raw: Pick<IncomingMessage, 'headers' | 'url'> & { socket: unknown }, trust: ProxyTrust): string {
  const headers = raw.headers;
  // Believed only from a trusted peer, as Fastify does for the page itself.
  const trustProxy = trust((raw.socket as { remoteAddress?: string } | null)?.remoteAddress, 0);
  const forwardedProto = trustProxy ? headers['x-forwarded-proto'] : undefined;
  const forwardedHost = trustProxy ? headers['x-forwarded-host'] : undefined;
  const proto = forwardedProto ? lastEntry(forwardedProto) : (raw.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
  const host = forwardedHost ? lastEntry(forwardedHost) : (headers.host ?? '');
  return `${proto}://${host}${pageKeyPath(raw.url ?? '')}`;
}

/** The query parameters that change a page, by kind of page (read by the routes named beside each). */
const LISTING_PARAMS = new Set(['before', 'after', 'page']); // sections, authors, tags, home: listing.service.ts pageAt
const ARTICLE_PARAMS = new Set(['cpage', 'csort']); // the discussion under an article: comments/discussion.tsx
const SEARCH_PARAMS = new Set(['q', 'section', 'from', 'to', 'page', 'prefix']); // search/search.params.ts
const NO_PARAMS = new Set<string>();

/**
 * The parameters a page at this path reads, from the shape of its path: `/search`; the home
 * page, a section, `/author/x` or `/tag/x` (listings); `/section/slug` (an article); anything
 * else (feeds, sitemaps, files) reads none.
 */
export function pageParams(path: string): ReadonlySet<string> {
  if (path === '/search') return SEARCH_PARAMS;
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.some((p) => p.includes('.'))) return NO_PARAMS;
  if (parts.length <= 1) return LISTING_PARAMS;
  if (parts.length === 2) return parts[0] === 'tag' || parts[0] === 'author' ? LISTING_PARAMS : ARTICLE_PARAMS;
  return NO_PARAMS;
}

function paramName(part: string): string {
  const eq = part.indexOf('=');
  const raw = eq === -1 ? part : part.slice(0, eq);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // Not percent-encoded text: compared as sent.
  }
}

/**
 * The path and query a page is stored under: only the parameters that change the page are kept
 * (in the order sent). Any other parameter (a tracking tag, a cache-buster, a made-up one) does
 * not make an entry of its own: the page is the same without it, so it is the same entry, and a
 * flood of `?x=1`, `?x=2`… cannot push other pages out. Personal parameters never reach the cache.
 */
export function pageKeyPath(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const path = url.slice(0, q);
  const reads = pageParams(path);
  const kept = reads.size
    ? url
        .slice(q + 1)
        .split('&')
        .filter((part) => part !== '' && reads.has(paramName(part)))
    : [];
  return kept.length ? `${path}?${kept.join('&')}` : path;
}
