import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { unmodifiedSince } from './cache.http.js';
import { ALL } from './keys.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export interface CachedPage {
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  /** The strong validator of the identity body; the compressed forms add `-br` / `-gz`. */
  etag: string;
  contentType: string;
  cacheControl: string;
  /** The Last-Modified header the route sent (feeds, sitemaps), if any. */
  lastModified?: string;
  keys: string[];
  storedAt: number;
  /** Kept at most this long when shorter than the cache's own limit (a route's declared max-age). */
  ttlMs?: number;
}

export interface PageCacheOptions {
  /** Upper bound of the bytes held (bodies in all three encodings). */
  maxBytes: number;
  /** Safety net: an entry older than this is rendered again even if no event purged it. */
  ttlMs: number;
}

const ENTRY_OVERHEAD = 512;

export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** The ETag that goes with an encoding of the same page. */
export function encodedEtag(etag: string, encoding: 'br' | 'gzip' | null): string {
  if (!encoding) return etag;
  return `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
}

/** True when an If-None-Match header names this page (in any of its encodings). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const base = etag.slice(1, -1);
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === etag || t === `"${base}-br"` || t === `"${base}-gz"`;
  });
}

/**
 * True when the client's copy is current: If-None-Match names the page, or (only when no
 * If-None-Match was sent, RFC 9110 §13.2.2) If-Modified-Since is not older than Last-Modified.
 */
export function notModified(headers: IncomingHttpHeaders, page: CachedPage): boolean {
  const tags = headers['if-none-match'];
  return tags ? etagMatches(tags, page.etag) : unmodifiedSince(headers, page.lastModified);
}

/**
 * Compressions under way, by the ETag of the body. When a page leaves the cache under heavy
 * traffic, every concurrent request renders it again; they share one compression instead of
 * each holding brotli's working memory at once.
 */
const compressing = new Map<string, Promise<{ br: Buffer; gzip: Buffer }>>();

export function compressPage(body: Buffer, etag: string = etagOf(body)): Promise<{ br: Buffer; gzip: Buffer }> {
  let running = compressing.get(etag);
  if (!running) {
    running = compress(body).finally(() => compressing.delete(etag));
    compressing.set(etag, running);
  }
  return running;
}

async function compress(body: Buffer): Promise<{ br: Buffer; gzip: Buffer }> {
  const [br, gzipped] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz(body, { level: 9 }),
  ]);
  return { br, gzip: gzipped };
}

/**
 * Rendered pages by URL, bounded by bytes (least recently used go first), with an index from
 * each key to the pages that carry it so a purge touches exactly those.
 */
export class PageCache {
  private readonly lru: LRUCache<string, CachedPage>;
  private readonly byKey = new Map<string, Set<string>>();
  /** Bumped by every purge: a render that started before a purge must not be stored after it. */
  generation = 0;
  stats = { hits: 0, misses: 0, stores: 0, purged: 0 };

  constructor(options: PageCacheOptions) {
    this.lru = new LRUCache<string, CachedPage>({
      maxSize: options.maxBytes,
      ttl: options.ttlMs,
      sizeCalculation: (page, url) => page.body.length + page.br.length + page.gzip.length + url.length + ENTRY_OVERHEAD,
      dispose: (page, url) => this.unindex(url, page.keys),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get(url: string): CachedPage | undefined {
    const page = this.lru.get(url);
    if (page) this.stats.hits++;
    else this.stats.misses++;
    return page;
  }

  has(url: string): boolean {
    return this.lru.has(url);
  }

  /** Stores a page unless a purge happened since its render began (it may be stale already). */
  set(url: string, page: CachedPage, renderGeneration: number): boolean {
    if (renderGeneration !== this.generation) return false;
    this.lru.set(url, page, page.ttlMs ? { ttl: Math.min(page.ttlMs, this.lru.ttl) } : undefined);
    if (!this.lru.has(url)) return false; // larger than the whole cache
    for (const key of page.keys) {
      let urls = this.byKey.get(key);
      if (!urls) {
        urls = new Set();
        this.byKey.set(key, urls);
      }
      urls.add(url);
    }
    this.stats.stores++;
    return true;
  }

  /** Drops every page carrying one of these keys (`*`: every page); returns how many went. */
  purge(keys: Iterable<string>): number {
    const list = [...keys];
    if (list.length === 0) return 0;
    this.generation++;
    if (list.includes(ALL)) {
      const n = this.lru.size;
      this.lru.clear();
      this.byKey.clear();
      this.stats.purged += n;
      return n;
    }
    const urls = new Set<string>();
    for (const key of list) for (const url of this.byKey.get(key) ?? []) urls.add(url);
    for (const url of urls) this.lru.delete(url);
    this.stats.purged += urls.size;
    return urls.size;
  }

  /** The URLs cached now (for tests and diagnostics). */
  urls(): string[] {
    return [...this.lru.keys()];
  }

  private unindex(url: string, keys: string[]) {
    for (const key of keys) {
      const urls = this.byKey.get(key);
      if (!urls) continue;
      urls.delete(url);
      if (urls.size === 0) this.byKey.delete(key);
    }
  }
}
