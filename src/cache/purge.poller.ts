import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { keysToPurge, type StoredEvent } from './keys.js';

export interface PurgePollerOptions {
  db: Kysely<Database>;
  purge: (keys: string[]) => void;
  intervalMs: number;
  onError?: (error: unknown) => void;
  /** Called after a sync that found new events (e.g. to tell other instances). */
  onEvents?: (lastId: number) => void;
}

const BATCH = 500;
/** How long an id skipped by the cursor may still turn up (a PostgreSQL transaction that committed late). */
const GAP_WAIT_MS = 60_000;
const MAX_GAPS = 1000;

/**
 * Follows the events table (id > last seen) and purges the cache keys each new event names.
 * Because every write records its event in the same transaction, this notices writes from
 * this process, from `gazette publish` in another one, and from other instances sharing a
 * PostgreSQL database.
 */
export class PurgePoller {
  private cursor = 0;
  /** Ids below the cursor not seen yet, by when they were first missed. */
  private readonly gaps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: PurgePollerOptions) {}

  /** Starts from the newest event: what happened before this process started is not cached anyway. */
  async start(): Promise<void> {
    const row = await this.opts.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.cursor = Number(row?.max ?? 0);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get lastSeen(): number {
    return this.cursor;
  }

  /**
   * Reads new events now. A call made while a read is in flight gets the next read, which starts
   * after that one (it may have begun before the caller's write committed); all such callers share it.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.readNew().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    const again = () => {
      this.next = undefined;
      return this.sync();
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

  private async readNew(): Promise<void> {
    let found = false;
    for (;;) {
      const gapIds = [...this.gaps.keys()];
      let q = this.opts.db.selectFrom('events').select(['id', 'type', 'subject_id', 'payload']);
      q = gapIds.length ? q.where((eb) => eb.or([eb('id', '>', this.cursor), eb('id', 'in', gapIds)])) : q.where('id', '>', this.cursor);
      const rows = (await q.orderBy('id').limit(BATCH).execute()) as StoredEvent[];
      if (rows.length === 0) break;
      found = true;
      await this.apply(rows);
      if (rows.length < BATCH) break;
    }
    this.expireGaps();
    if (found) this.opts.onEvents?.(this.cursor);
  }

  private async apply(rows: StoredEvent[]) {
    const keys = new Set<string>();
    for (const event of rows) {
      for (const key of await keysToPurge(this.opts.db, event)) keys.add(key);
      const id = Number(event.id);
      if (this.gaps.delete(id)) continue;
      // On SQLite ids arrive in commit order; only a concurrent PostgreSQL transaction leaves a hole.
      const now = Date.now();
      for (let missing = this.cursor + 1; this.cursor > 0 && missing < id && this.gaps.size < MAX_GAPS; missing++) {
        this.gaps.set(missing, now);
      }
      if (id > this.cursor) this.cursor = id;
    }
    if (keys.size) this.opts.purge([...keys]);
  }

  private expireGaps() {
    const limit = Date.now() - GAP_WAIT_MS;
    for (const [id, since] of this.gaps) if (since < limit) this.gaps.delete(id);
  }
}
