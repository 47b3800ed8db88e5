import { type CachedPage, compressBody, identityOf, sameRender } from './page.compress.js';

/** What the queue needs of the page store. */
export interface RecompressStore {
  /** The page stored under `url` now, without touching its recency. */
  peek(url: string): CachedPage | undefined;
  /** Puts `update(stored)` in place of the page stored under `url`, only if that is still the render `old` came from. */
  replace(url: string, old: CachedPage, update: (stored: CachedPage) => CachedPage): boolean;
}

export interface RecompressOptions {
  /** Pages waiting at most; an offer beyond it is dropped (the page stays as it is). */
  max: number;
  /** Pause before each job, so that waiting requests run first. */
  delayMs: number;
}

/**
 * Pages that proved popular, recompressed with the best settings off the serving path: one at a
 * time, in libuv's threadpool (zlib's asynchronous API), each after a short pause. When a job is
 * done its result replaces the stored page only if that page is still the one it started from:
 * a page purged or rendered again meanwhile is left alone.
 */
export class RecompressQueue {
  private readonly waiting = new Map<string, CachedPage>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private idle: Array<() => void> = [];
  stats = { offered: 0, dropped: 0, replaced: 0, stale: 0, failed: 0 };

  constructor(
    private readonly store: RecompressStore,
    private readonly opts: RecompressOptions,
  ) {}

  /** Asks for `page` (stored under `url`) to be recompressed; false when it was not taken. */
  offer(url: string, page: CachedPage): boolean {
    if (this.stopped || this.waiting.has(url)) return false;
    if (this.waiting.size >= this.opts.max) {
      this.stats.dropped++;
      return false;
    }
    this.stats.offered++;
    this.waiting.set(url, page);
    this.schedule();
    return true;
  }

  get pending(): number {
    return this.waiting.size + (this.running ? 1 : 0);
  }

  /** Resolves once nothing waits or runs. */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.waiting.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) this.settle();
  }

  private schedule(): void {
    if (this.stopped || this.running || this.timer) return;
    if (this.waiting.size === 0) {
      this.settle();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runNext().finally(() => {
        this.running = undefined;
        this.schedule();
        if (this.stopped) this.settle();
      });
    }, this.opts.delayMs);
    this.timer.unref();
  }

  private async runNext(): Promise<void> {
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [url, page] = next.value;
    this.waiting.delete(url);
    const stored = this.store.peek(url);
    if (!stored || !sameRender(stored, page)) {
      this.stats.stale++;
      return;
    }
    try {
      const better = await compressBody(identityOf(page), 'best');
      // Never larger than what is stored (a tiny body can come out a few bytes longer).
      const br = better.br.length <= page.br.length ? better.br : page.br;
      const gzip = better.gzip.length <= page.gzip.length ? better.gzip : page.gzip;
      const replaced = this.store.replace(url, page, (now) => ({ ...now, br, gzip, grade: 'best' }));
      if (replaced) this.stats.replaced++;
      else this.stats.stale++;
    } catch {
      // The page keeps its quick compression.
      this.stats.failed++;
    }
  }

  private settle(): void {
    if (this.pending > 0 && !this.stopped) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
