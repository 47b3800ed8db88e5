import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { StoredEvent } from './keys.js';

const BATCH = 500;

/** Where the purge poller has read the events table up to; `read` returns each committed event once. */
export interface EventCursor {
  /** Starts after what is committed now: what happened before this process started is not cached anyway. */
  start(): Promise<void>;
  /** The events committed since the last read, oldest first, in batches (never one seen before). */
  read(onBatch: (rows: StoredEvent[]) => Promise<void>): Promise<void>;
  /** The newest event id seen. */
  readonly lastId: number;
}

/** SQLite: one writer at a time, so ids appear in commit order and "id > last seen" misses nothing. */
class IdCursor implements EventCursor {
  lastId = 0;
  constructor(private readonly db: Kysely<Database>) {}

  async start() {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.lastId = Number(row?.max ?? 0);
  }

  async read(onBatch: (rows: StoredEvent[]) => Promise<void>) {
    for (;;) {
      const rows = (await this.db
        .selectFrom('events')
        .select(['id', 'type', 'subject_id', 'payload'])
        .where('id', '>', this.lastId)
        .orderBy('id')
        .limit(BATCH)
        .execute()) as StoredEvent[];
      if (rows.length === 0) return;
      this.lastId = Number(rows[rows.length - 1].id);
      await onBatch(rows);
      if (rows.length < BATCH) return;
    }
  }
}

type TxRow = StoredEvent & { txid: string };

/**
 * PostgreSQL: ids are taken when a row is inserted but become visible when its transaction
 * commits, so a smaller id can appear after a larger one was read, however late. Each event
 * carries the id of the transaction that wrote it (`events.txid`, set by the database), and a
 * snapshot's `xmin` is a horizon: every transaction below it has ended. Each read takes the
 * horizon first, then reads every event of a transaction at or above the previous horizon that
 * it has not returned yet; below the new horizon nothing can still appear. No time window.
 */
class CommitCursor implements EventCursor {
  lastId = 0;
  private low = 0n;
  /** Ids returned whose transaction is at or above `low` (they will be read again and skipped). */
  private readonly seen = new Map<number, bigint>();
  constructor(private readonly db: Kysely<Database>) {}

  private async horizon(): Promise<bigint> {
    const { rows } = await sql<{ h: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS h`.execute(this.db);
    return BigInt(rows[0].h);
  }

  async start() {
    this.low = await this.horizon();
    // The horizon is the whole server's (an open transaction in any database holds it back):
    // what is already visible above it happened before this start and is not read again.
    const { rows } = await sql<{ id: string; txid: string }>`
      SELECT id, txid::text AS txid FROM events WHERE txid >= ${this.low.toString()}::bigint`.execute(this.db);
    for (const row of rows) this.seen.set(Number(row.id), BigInt(row.txid));
    const max = await sql<{ max: string | null }>`SELECT max(id)::text AS max FROM events`.execute(this.db);
    this.lastId = Number(max.rows[0]?.max ?? 0);
  }

  async read(onBatch: (rows: StoredEvent[]) => Promise<void>) {
    const horizon = await this.horizon();
    let after: [string, number] = [(this.low - 1n).toString(), 0];
    for (;;) {
      const { rows } = await sql<TxRow>`
        SELECT id, type, subject_id, payload, txid::text AS txid FROM events
        WHERE txid >= ${this.low.toString()}::bigint AND (txid, id) > (${after[0]}::bigint, ${after[1]})
        ORDER BY txid, id LIMIT ${BATCH}`.execute(this.db);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      after = [last.txid, Number(last.id)];
      const fresh: StoredEvent[] = [];
      for (const row of rows) {
        const id = Number(row.id);
        if (this.seen.has(id)) continue;
        this.seen.set(id, BigInt(row.txid));
        if (id > this.lastId) this.lastId = id;
        fresh.push({ id, type: row.type, subject_id: row.subject_id === null ? null : Number(row.subject_id), payload: row.payload });
      }
      if (fresh.length) await onBatch(fresh);
      if (rows.length < BATCH) break;
    }
    if (horizon > this.low) this.low = horizon;
    for (const [id, txid] of this.seen) if (txid < this.low) this.seen.delete(id);
  }
}

/** The cursor for this database. */
export function eventCursor(db: Kysely<Database>): EventCursor {
  return dialectOf(db) === 'postgres' ? new CommitCursor(db) : new IdCursor(db);
}
