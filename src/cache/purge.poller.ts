import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { keysToPurge, type StoredEvent } from './keys.js';
import { type EventCursor, eventCursor } from './purge.cursor.js';

export interface PurgePollerOptions {
  db: Kysely<Database>;
  purge: (keys: string[]) => void;
  intervalMs: number;
  onError?: (error: unknown) => void;
  /** Called after a read that found events the other instances have not been told of (to tell them). */
  onEvents?: (lastId: number) => void;
  /** Called when a read finds a settings change, before its pages are purged (to drop a settings copy). */
  onSettingsChanged?: () => void;
}

export interface SyncOptions {
  /**
   * This read answers a nudge from an instance that had read events up to this id: what it finds
   * up to there was announced already. Anything newer (written since, by any process) is announced
   * by this read, or an instance that polls seldom would not hear of it until its own next poll.
   * Absent or not a number (a message that did not say): whatever the read finds is announced.
   */
  announcedUpTo?: number;
}

/** Announce whatever a read finds (a read of this instance's own, not an answer to a nudge). */
const ANNOUNCE_ALL = Number.NEGATIVE_INFINITY;

/**
 * Follows the events table and purges the cache keys each new event names. Because every write
 * records its event in the same transaction, this notices writes from this process, from
 * `gazette publish` in another one, and from other instances sharing a PostgreSQL database.
 * Which events are new is the cursor's business (purge.cursor.ts): on PostgreSQL it follows
 * commit order, so an event whose transaction commits late is still read.
 */
export class PurgePoller {
  private readonly cursor: EventCursor;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** What the shared next read announces above: the lowest of its callers' (see `sync`). */
  private nextAnnouncedUpTo = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly opts: PurgePollerOptions) {
    this.cursor = eventCursor(opts.db);
  }

  async start(): Promise<void> {
    await this.cursor.start();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get lastSeen(): number {
    return this.cursor.lastId;
  }

  /**
   * Reads new events now. A call made while a read is in flight gets the next read, which starts
   * after that one (it may have begun before the caller's write committed); all such callers share it.
   */
  sync(options: SyncOptions = {}): Promise<void> {
    const upTo = Number.isFinite(options.announcedUpTo) ? (options.announcedUpTo as number) : ANNOUNCE_ALL;
    if (!this.running) {
      this.running = this.readNew(upTo).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // The shared next read announces what none of its callers' nudges covered.
    this.nextAnnouncedUpTo = Math.min(this.nextAnnouncedUpTo, upTo);
    const again = () => {
      const announcedUpTo = this.nextAnnouncedUpTo;
      this.next = undefined;
      this.nextAnnouncedUpTo = Number.POSITIVE_INFINITY;
      return this.sync({ announcedUpTo });
    };
    this.next ??= this.running.then(again, again);
    return this.next;
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sync()
        .catch((error) => this.opts.onError?.(error))
        .finally(() => this.schedule());
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  private async readNew(announcedUpTo: number): Promise<void> {
    let untold = false;
    await this.cursor.read(async (rows) => {
      if (rows.some((event) => Number(event.id) > announcedUpTo)) untold = true;
      await this.apply(rows);
    });
    if (untold) this.opts.onEvents?.(this.cursor.lastId);
  }

  private async apply(rows: StoredEvent[]) {
    const keys = new Set<string>();
    for (const event of rows) {
      for (const key of await keysToPurge(this.opts.db, event)) keys.add(key);
    }
    // Pages rendered after the purge must show the new settings, not a copy read before it.
    if (rows.some((event) => event.type === 'settings.changed')) this.opts.onSettingsChanged?.();
    if (keys.size) this.opts.purge([...keys]);
  }
}
