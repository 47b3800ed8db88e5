import { ALL } from '../cache/keys.js';

/** One place purges are sent to: a Varnish, or a CDN's purge API. */
export interface CdnTarget {
  /** For the log: where purges go (never a token). */
  name: string;
  /** Most keys one request may carry. */
  maxKeys: number;
  /** Purges the pages carrying any of these keys; `null` purges every page. Rejects when it did not happen. */
  send(keys: string[] | null): Promise<void>;
}

export interface PurgeLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface PurgeQueueOptions {
  /** Keys waiting beyond this become one purge of everything (the queue stays bounded). */
  maxPending?: number;
  /** Keys arriving within this time go out in one request. */
  batchMs?: number;
  /** The first wait after a failure; each next one doubles, up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The wait before the next try after `failures` failures in a row: doubling from `first`, at most `max`. */
export function retryWait(failures: number, first: number, max: number): number {
  return Math.min(first * 2 ** Math.max(0, failures - 1), max);
}

/**
 * The purges waiting for one target: added without waiting (never on a reader's or writer's
 * path), sent in batches one request at a time, retried with back-off until they succeed. A
 * failure is logged once per run of failures, and once more when the target answers again.
 */
export class PurgeQueue {
  private pending = new Set<string>();
  private all = false;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly opts: Required<PurgeQueueOptions>;

  constructor(
    private readonly target: CdnTarget,
    private readonly log: PurgeLog,
    opts: PurgeQueueOptions = {},
  ) {
    this.opts = { maxPending: 10_000, batchMs: 10, retryMs: 250, maxRetryMs: 30_000, ...opts };
  }

  /** Keys to purge (`*` for every page). Returns at once. */
  add(keys: Iterable<string>): void {
    if (this.closed) return;
    for (const key of keys) {
      if (key === ALL) this.all = true;
      else if (!this.all) this.pending.add(key);
    }
    if (this.all || this.pending.size > this.opts.maxPending) {
      this.all = true;
      this.pending.clear();
    }
    this.schedule(this.opts.batchMs);
  }

  /** Nothing waiting and nothing in flight. */
  get idle(): boolean {
    return !this.all && this.pending.size === 0 && !this.sending && !this.timer;
  }

  /** Stops retrying; what is waiting gets one last try unless the target is failing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    if (this.failures === 0 && (this.all || this.pending.size)) await this.sendNext().catch(() => undefined);
  }

  private schedule(ms: number) {
    if (this.closed || this.timer || this.sending) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.drain().finally(() => {
        this.sending = undefined;
        if (this.failures === 0 && (this.all || this.pending.size)) this.schedule(0);
      });
    }, ms);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    while (!this.closed && (this.all || this.pending.size)) {
      try {
        await this.sendNext();
      } catch (err) {
        this.failures++;
        if (this.failures === 1) this.log.warn({ target: this.target.name, err: String(err) }, 'CDN purge failed: retrying with back-off');
        const wait = retryWait(this.failures, this.opts.retryMs, this.opts.maxRetryMs);
        // Kept as the timer: keys added meanwhile wait for it rather than starting a send now.
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.schedule(0);
        }, wait);
        this.timer.unref?.();
        return;
      }
      if (this.failures > 0) this.log.info({ target: this.target.name, failures: this.failures }, 'CDN purge works again');
      this.failures = 0;
    }
  }

  /** Sends one batch; on failure its keys wait again. */
  private async sendNext(): Promise<void> {
    let batch: string[] | null = null;
    if (this.all) {
      this.all = false;
      this.pending.clear();
    } else {
      batch = [];
      for (const key of this.pending) {
        batch.push(key);
        if (batch.length >= this.target.maxKeys) break;
      }
      for (const key of batch) this.pending.delete(key);
    }
    try {
      await this.target.send(batch);
    } catch (err) {
      if (batch === null) this.all = true;
      else this.add(batch);
      throw err;
    }
  }
}
