import { LRUCache } from 'lru-cache';
import { ALL } from './keys.js';
import { type CachedPage, identityOf, own, sameRender } from './page.compress.js';
import { RecompressQueue } from './recompress.queue.js';

export type { CachedPage } from './page.compress.js';

export interface PageCacheOptions {
  /** Upper bound of the bytes held (bodies in every encoding kept). */
  maxBytes: number;
  /** Safety net: an entry older than this is rendered again even if no event purged it. */
  ttlMs: number;
  /** A quickly compressed page answered this many times from memory is recompressed with the best settings (0: never). */
  recompressAfterHits?: number;
}

/** A page is recompressed after this many hits unless the cache is told otherwise. */
export const RECOMPRESS_AFTER_HITS = 3;
/** Popular pages waiting for their recompression, at most. */
const RECOMPRESS_WAITING = 256;
const RECOMPRESS_DELAY_MS = 20;

/**
 * What one stored page holds besides its bodies: the header lists and status lines built for its
 * hits in each encoding (hit.http.ts), its keys in the key index, the LRU's node and the
 * object itself. Measured at 2.5–3 KB for a page with a dozen keys; counted high on purpose.
 */
const ENTRY_OVERHEAD = 4096;

/** The bytes a stored page keeps in memory (its bodies are Buffers of their own, see `own`). */
export function entryBytes(page: CachedPage, url: string): number {
  let keys = 0;
  for (const key of page.keys) keys += key.length;
  const bodies = (page.body?.length ?? 0) + (page.br === page.body ? 0 : page.br.length) + (page.gzip === page.body ? 0 : page.gzip.length);
  return bodies + 2 * (url.length + keys + page.contentType.length + page.cacheControl.length) + ENTRY_OVERHEAD;
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
  /** Popular pages being recompressed with the best settings; undefined when that is off. */
  readonly recompress: RecompressQueue | undefined;
  private readonly popularAfter: number;

  constructor(options: PageCacheOptions) {
    this.lru = new LRUCache<string, CachedPage>({
      maxSize: options.maxBytes,
      ttl: options.ttlMs,
      sizeCalculation: entryBytes,
      dispose: (page, url) => this.unindex(url, page.keys),
    });
    this.popularAfter = options.recompressAfterHits ?? RECOMPRESS_AFTER_HITS;
    this.recompress =
      this.popularAfter > 0 ? new RecompressQueue(this, { max: RECOMPRESS_WAITING, delayMs: RECOMPRESS_DELAY_MS }) : undefined;
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get(url: string): CachedPage | undefined {
    const page = this.lru.get(url);
    if (!page) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    if (page.grade === 'quick') {
      page.hits = (page.hits ?? 0) + 1;
      if (page.hits === this.popularAfter) this.recompress?.offer(url, page);
    }
    return page;
  }

  /** The page stored under `url`, without counting a hit or touching its recency. */
  peek(url: string): CachedPage | undefined {
    return this.lru.peek(url);
  }

  has(url: string): boolean {
    return this.lru.has(url);
  }

  /** Stores a page unless a purge happened since its render began (it may be stale already). */
  set(url: string, page: CachedPage, renderGeneration: number): boolean {
    if (renderGeneration !== this.generation) return false;
    return this.put(url, page, page.ttlMs ? Math.min(page.ttlMs, this.lru.ttl) : undefined);
  }

  /**
   * Puts `update(stored)` (the same render, compressed again or with a body added) in place of the
   * page stored under `url`, keeping the time it has left; false, and nothing changed, when that
   * is no longer the render `old` came from (purged, rendered again, expired or evicted meanwhile).
   */
  replace(url: string, old: CachedPage, update: (stored: CachedPage) => CachedPage): boolean {
    const stored = this.lru.peek(url);
    if (!stored || !sameRender(stored, old)) return false;
    const left = this.lru.getRemainingTTL(url);
    if (!(left > 0)) return false;
    return this.put(url, update(stored), Number.isFinite(left) ? left : undefined);
  }

  /**
   * The page with its rendered body, for a client that takes no compression: unzipped once and
   * kept from then on (counted in the bound like the other bodies).
   */
  withIdentity(url: string, page: CachedPage): CachedPage {
    if (page.body) return page;
    const next = { ...page, body: identityOf(page) };
    this.replace(url, page, (stored) => (stored === page ? next : stored.body ? stored : { ...stored, body: next.body }));
    return next;
  }

  /** Stops the recompression of popular pages (the cache is closing). */
  close(): void {
    this.recompress?.stop();
  }

  private put(url: string, page: CachedPage, ttl: number | undefined): boolean {
    if (page.body) page.body = own(page.body);
    this.lru.set(url, page, ttl === undefined ? undefined : { ttl });
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
