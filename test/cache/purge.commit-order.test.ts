import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PurgePoller } from '../../src/cache/purge.poller.js';
import { recordEvent } from '../../src/events.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

/** A poller that never runs on its own: each test reads with `sync` and looks at what it purged. */
function pollerOn(t: TestDb) {
  const purged: string[] = [];
  const poller = new PurgePoller({ db: t.db, intervalMs: 3_600_000, purge: (keys) => purged.push(...keys) });
  return { poller, purged };
}

describe('an event whose transaction commits late on postgres', () => {
  let t: TestDb;
  let client: pg.Client;
  beforeAll(async () => {
    t = await createTestDb('postgres');
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.destroy();
  });

  it('is purged when it commits, however long after a later event was read', async () => {
    const { poller, purged } = pollerOn(t);
    await poller.start();
    // The slow transaction takes its id first and stays open.
    await client.query('BEGIN');
    await client.query(`INSERT INTO events (type, subject_id, payload, created_at) VALUES ('media.changed', 101, '{}', $1)`, [
      new Date().toISOString(),
    ]);
    // A later event commits and is read, well before the slow one.
    await recordEvent(t.db, 'media.changed', 202);
    await poller.sync();
    expect(purged).toEqual(['media:202']);
    // Many reads while it stays open (the old cursor gave up on a skipped id after a time window).
    for (let i = 0; i < 5; i++) await poller.sync();
    expect(purged).toEqual(['media:202']);
    await client.query('COMMIT');
    await poller.sync();
    expect(purged).toEqual(['media:202', 'media:101']);
    // Read once only.
    await poller.sync();
    expect(purged).toEqual(['media:202', 'media:101']);
    poller.stop();
  });

  it('does not read again what was there before it started, while an open transaction holds the horizon back', async () => {
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    await recordEvent(t.db, 'media.changed', 606);
    const { poller, purged } = pollerOn(t);
    await poller.start();
    await recordEvent(t.db, 'media.changed', 707);
    await poller.sync();
    await client.query('COMMIT');
    await poller.sync();
    expect(purged).toEqual(['media:707']);
    poller.stop();
  });

  it('a rolled-back event never purges and does not hold the reads back', async () => {
    const { poller, purged } = pollerOn(t);
    await poller.start();
    await client.query('BEGIN');
    await client.query(`INSERT INTO events (type, subject_id, payload, created_at) VALUES ('media.changed', 303, '{}', $1)`, [
      new Date().toISOString(),
    ]);
    await recordEvent(t.db, 'media.changed', 404);
    await client.query('ROLLBACK');
    await poller.sync();
    await recordEvent(t.db, 'media.changed', 505);
    await poller.sync();
    expect(purged).toEqual(['media:404', 'media:505']);
    poller.stop();
  });
});

describe.each(DIALECTS)('reading the events table on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('starts after what is already there and reads every later event once, across batches', async () => {
    await recordEvent(t.db, 'media.changed', 1);
    const { poller, purged } = pollerOn(t);
    await poller.start();
    await t.db.transaction().execute(async (trx) => {
      for (let id = 10; id < 1210; id++) await recordEvent(trx, 'media.changed', id);
    });
    await poller.sync();
    expect(purged.length).toBe(1200);
    expect(new Set(purged).size).toBe(1200);
    expect(purged).not.toContain('media:1');
    await poller.sync();
    expect(purged.length).toBe(1200);
    poller.stop();
  });

  it('drops the settings copy when it reads a settings change', async () => {
    let dropped = 0;
    const poller = new PurgePoller({ db: t.db, intervalMs: 3_600_000, purge: () => {}, onSettingsChanged: () => dropped++ });
    await poller.start();
    await recordEvent(t.db, 'media.changed', 7);
    await poller.sync();
    expect(dropped).toBe(0);
    await recordEvent(t.db, 'settings.changed', null, { keys: ['siteName'] });
    await poller.sync();
    expect(dropped).toBe(1);
    poller.stop();
  });
});

describe.each(DIALECTS)('telling other instances on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  /** A poller that records each announcement (the id it read up to). */
  async function announcing() {
    const told: number[] = [];
    const poller = new PurgePoller({ db: t.db, intervalMs: 3_600_000, purge: () => {}, onEvents: (lastId) => told.push(lastId) });
    await poller.start();
    return { poller, told };
  }
  const newest = async () => Number((await t.db.selectFrom('events').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id);

  it('a read of its own announces what it finds; a read that answers a nudge only what the nudge did not cover', async () => {
    const { poller, told } = await announcing();
    await recordEvent(t.db, 'media.changed', 1);
    const first = await newest();
    await poller.sync();
    expect(told).toEqual([first]);
    // Another instance announced up to `second`: this read finds nothing beyond it and stays quiet.
    await recordEvent(t.db, 'media.changed', 2);
    const second = await newest();
    await poller.sync({ announcedUpTo: second });
    expect(told).toEqual([first]);
    // An event written after the nudging instance read (by a command, say) is announced by the read that finds it.
    await recordEvent(t.db, 'media.changed', 3);
    await recordEvent(t.db, 'media.changed', 4);
    const fourth = await newest();
    await poller.sync({ announcedUpTo: fourth - 1 });
    expect(told).toEqual([first, fourth]);
    // Nothing new: nothing announced, nudged or not.
    await poller.sync();
    await poller.sync({ announcedUpTo: 0 });
    expect(told).toEqual([first, fourth]);
    poller.stop();
  });

  /** Holds the poller's next read after it has read (until `release`), so callers can queue behind it. */
  function holdNextRead(poller: PurgePoller) {
    const cursor = (poller as unknown as { cursor: { read: (onBatch: never) => Promise<void> } }).cursor;
    const real = cursor.read.bind(cursor);
    let release = () => {};
    let readDone = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    const read = new Promise<void>((r) => {
      readDone = r;
    });
    cursor.read = async (onBatch: never) => {
      cursor.read = real;
      await real(onBatch);
      readDone();
      await released;
    };
    return { read, release };
  }

  it.each([
    ['with a plain caller', undefined, true],
    ['with a nudge whose message said nothing (up to 0)', 0, true],
    ['with a nudge whose message held no number', Number.NaN, true],
    ['with nudges that all covered it', Number.MAX_SAFE_INTEGER, false],
  ])('a read shared by callers announces what none of their nudges covered: %s', async (_name, upTo, announced) => {
    const { poller, told } = await announcing();
    const held = holdNextRead(poller);
    const first = poller.sync({ announcedUpTo: Number.MAX_SAFE_INTEGER });
    await held.read;
    // Queued behind the read in flight: they share the next one.
    const shared = [
      poller.sync({ announcedUpTo: Number.MAX_SAFE_INTEGER }),
      poller.sync(upTo === undefined ? {} : { announcedUpTo: upTo }),
    ];
    // Written after the first read: only the shared one finds it.
    await recordEvent(t.db, 'media.changed', 6);
    const sixth = await newest();
    held.release();
    await Promise.all([first, ...shared]);
    expect(told).toEqual(announced ? [sixth] : []);
    poller.stop();
  });
});
