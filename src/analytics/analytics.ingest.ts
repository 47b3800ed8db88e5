import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { dayOf } from './analytics.salt.js';
import { BeaconWriter, type Pending } from './analytics.writer.js';
import type { Beacon } from './beacon.parse.js';

/** Beacons waiting for the next flush; past this many, new ones are dropped (and counted as dropped). */
const MAX_PENDING = 100_000;
const FLUSH_MS = 1000;
const UPKEEP_MS = 3_600_000;

/** Where a flushed batch goes: a writer in this process, or one in a thread of its own (src/analytics/analytics.thread.ts). */
export interface BeaconSink {
  write(batch: Pending[], now: Date): Promise<void>;
  upkeep(now: Date, retentionDays: number): Promise<void>;
  close(): Promise<void>;
}

export interface CollectorOptions {
  /** The clock (tests move it across midnight). */
  now?: () => Date;
  /** Raw beacons are kept this many days; read from the settings at each clean-up. */
  retentionDays?: () => Promise<number>;
  onError?: (error: unknown) => void;
  /** Where batches are written; by default a writer on `db` in this process. */
  sink?: BeaconSink;
}

/** The writer in the collector's own process. */
export function ownProcessSink(db: Kysely<Database>): BeaconSink {
  const writer = new BeaconWriter(db);
  return {
    write: (batch, now) => writer.write(batch, now),
    upkeep: (now, days) => writer.upkeep(now, days),
    close: async () => {},
  };
}

/**
 * The in-memory beacon buffer of one server process: requests only push into it; once a second
 * it is written in one transaction (raw events, visitor hashes of today, additive rollups).
 * Several processes on one PostgreSQL database each flush their own buffer.
 */
export class AnalyticsCollector {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  private upkeepAt = 0;
  private upkeepDay = '';
  private readonly sink: BeaconSink;
  /** Beacons refused because the buffer was full (the database was not keeping up). */
  dropped = 0;
  readonly now: () => Date;

  constructor(
    db: Kysely<Database>,
    private readonly options: CollectorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.sink = options.sink ?? ownProcessSink(db);
  }

  /** Takes one valid beacon; false when the buffer is full. */
  accept(beacon: Beacon, host: string, who: Pending['who']): boolean {
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return false;
    }
    this.pending.push({ at: this.now(), beacon, host, who });
    return true;
  }

  get size(): number {
    return this.pending.length;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((error) => this.options.onError?.(error));
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** Stops the timer, writes what is left and closes the writer (the server's close). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      await this.sink.close();
    }
  }

  /** Writes the buffer; one flush at a time. Resolves with the number of beacons written. */
  flush(): Promise<number> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.length === 0 && !this.upkeepDue()) return Promise.resolve(0);
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Hourly, and at once when the day has changed (so no salt outlives its day on an idle instance). */
  private upkeepDue(): boolean {
    return Date.now() - this.upkeepAt >= UPKEEP_MS || dayOf(this.now()) !== this.upkeepDay;
  }

  /** Day change and retention: earlier days' salts and hashes go, raw beacons older than the setting go. */
  async upkeep(): Promise<void> {
    const now = this.now();
    this.upkeepAt = Date.now();
    this.upkeepDay = dayOf(now);
    await this.sink.upkeep(now, (await this.options.retentionDays?.()) ?? 30);
  }

  private async write(): Promise<number> {
    if (this.upkeepDue()) await this.upkeep();
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return 0;
    try {
      await this.sink.write(batch, this.now());
    } catch (error) {
      // Kept for the next flush (unless that would overflow the buffer).
      if (this.pending.length + batch.length <= MAX_PENDING) this.pending = batch.concat(this.pending);
      else this.dropped += batch.length;
      throw error;
    }
    return batch.length;
  }
}
