import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsCollector } from '../../src/analytics/analytics.ingest.js';
import { parseBeacon } from '../../src/analytics/beacon.parse.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.each(DIALECTS)('the daily salt and retention on %s', (dialect) => {
  let t: TestDb;
  let clock = new Date('2026-12-06T23:59:00Z');
  let collector: AnalyticsCollector;
  let retention = 30;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await makeArticle(t.db, { section: 'Politics', slug: 'salted' });
    collector = new AnalyticsCollector(t.db, { now: () => clock, retentionDays: async () => retention });
  });
  afterAll(() => t.destroy());

  const view = (ip: string) => collector.accept(parseBeacon({ type: 'view', path: '/politics/salted' }), 'news.example', { ip, ua: UA });
  const visitorsOf = async (day: string) =>
    Number((await t.db.selectFrom('analytics_days').select('visitors').where('day', '=', day).executeTakeFirst())?.visitors ?? 0);

  it('counts a visitor once a day, forgets every hash and salt at the day change, and counts them again the next day', async () => {
    view('203.0.113.5');
    view('203.0.113.5');
    view('203.0.113.6');
    await collector.flush();
    expect(await visitorsOf('2026-12-06')).toBe(2);
    const salts1 = await t.db.selectFrom('analytics_salts').selectAll().execute();
    expect(salts1.map((s) => s.day)).toEqual(['2026-12-06']);
    const hashes1 = (await t.db.selectFrom('analytics_visitors').select('visitor').execute()).map((r) => r.visitor);
    expect(hashes1.length).toBeGreaterThan(0);
    // No address in any table.
    for (const table of ['analytics_visitors', 'analytics_events', 'analytics_salts'] as const) {
      expect(JSON.stringify(await t.db.selectFrom(table).selectAll().execute())).not.toContain('203.0.113');
    }

    clock = new Date('2026-12-07T00:00:30Z');
    view('203.0.113.5');
    await collector.flush();
    const salts2 = await t.db.selectFrom('analytics_salts').selectAll().execute();
    expect(salts2.map((s) => s.day)).toEqual(['2026-12-07']);
    expect(salts2[0].salt).not.toBe(salts1[0].salt);
    const rows = await t.db.selectFrom('analytics_visitors').selectAll().execute();
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2026-12-07']));
    // The same reader has another hash today: yesterday's cannot be linked to it.
    for (const r of rows) expect(hashes1).not.toContain(r.visitor);
    expect(await visitorsOf('2026-12-07')).toBe(1);
    // Yesterday's totals stay.
    expect(await visitorsOf('2026-12-06')).toBe(2);
  });

  it('a beacon of a day already rotated away is counted without a visitor', async () => {
    clock = new Date('2026-12-06T23:59:59Z');
    view('203.0.113.9');
    clock = new Date('2026-12-07T00:01:00Z');
    await collector.flush();
    expect(await visitorsOf('2026-12-06')).toBe(2);
    const salts = await t.db.selectFrom('analytics_salts').select('day').execute();
    expect(salts.map((s) => s.day)).toEqual(['2026-12-07']);
  });

  it('drops raw beacons older than the retention setting and keeps the rollups', async () => {
    const old = (days: number) => new Date(clock.getTime() - days * 86_400_000).toISOString();
    const base = {
      type: 'view',
      path: '/politics/salted',
      article_id: 0,
      value: 0,
      detail: '',
      source: 'direct',
      referrer_host: '',
      utm_source: '',
      utm_medium: '',
      utm_campaign: '',
      screen: '',
    };
    await t.db
      .insertInto('analytics_events')
      .values([
        { ...base, at: old(40) },
        { ...base, at: old(31) },
        { ...base, at: old(29) },
        { ...base, at: old(1) },
      ])
      .execute();
    const before = await t.db.selectFrom('analytics_daily').selectAll().execute();
    await collector.upkeep();
    const left = await t.db.selectFrom('analytics_events').select('at').where('at', '<', old(0.5)).orderBy('at').execute();
    expect(left.map((r) => r.at)).toEqual([old(29), old(1)]);
    retention = 7;
    await collector.upkeep();
    const left7 = await t.db.selectFrom('analytics_events').select('at').where('at', '<', old(0.5)).execute();
    expect(left7.map((r) => r.at)).toEqual([old(1)]);
    expect(await t.db.selectFrom('analytics_daily').selectAll().execute()).toEqual(before);
  });

  it('writes what is buffered when stopped (the server closing)', async () => {
    view('203.0.113.20');
    expect(collector.size).toBe(1);
    await collector.stop();
    expect(collector.size).toBe(0);
  });
});
