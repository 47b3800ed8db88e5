import type { ProxyTrust } from '../web/security.js';
import { isPersonal, pageUrl } from './cache.http.js';
import { pickEncoding, type RequestHead } from './hit.http.js';
import type { CachedPage, PageCache } from './page.cache.js';

/** What a lookup found: the page (a hit) and the key it was looked up under (which a miss hands on to storing). */
export interface Lookup {
  page?: CachedPage;
  /** Absent when the request may not be answered from the cache at all (no cache, a write, a personal request). */
  url?: string;
}

/**
 * The one lookup of a cached page, for the socket door, the front door and requests made
 * without a socket alike: a reader's GET or HEAD that is not personal, under its cache key.
 */
export function lookupPage(store: PageCache | undefined, req: RequestHead, trust: ProxyTrust): Lookup {
  if (!store || (req.method !== 'GET' && req.method !== 'HEAD') || isPersonal(req)) return {};
  const url = pageUrl(req, trust);
  const page = store.get(url);
  // A client that takes no compression gets the rendered body, kept from its first hit on.
  if (page && !page.body && pickEncoding(req.headers['accept-encoding']) === null) return { page: store.withIdentity(url, page), url };
  return { page, url };
}
