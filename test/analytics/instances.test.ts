import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsCollector } from '../../src/analytics/analytics.ingest.js';
import { parseBeacon } from '../../src/analytics/beacon.parse.js';
import { connect } from '../../src/db/connect.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';

describe.each(DIALECTS)('several server processes flushing their own buffers on %s', (dialect) => {
  let t: TestDb;
  let second: ReturnType<typeof connect>;
  let articleId: number;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    articleId = (await makeArticle(t.db, { section: 'Sport', slug: 'derby-day' })).id;
    // A second connection, as a second instance has.
    second = connect(t.config);
  });
  afterAll(async () => {
    await second.close();
    await t.destroy();
  });

  it('adds their counters together and counts a visitor seen by both once', async () => {
    const a = new AnalyticsCollector(t.db);
    const b = new AnalyticsCollector(second.db);
    const view = parseBeacon({ type: 'view', path: '/sport/derby-day' });
    const depth = parseBeacon({ type: 'depth', path: '/sport/derby-day', value: 50 });
    for (let i = 0; i < 40; i++) {
      // The same 20 readers reach both instances (a load balancer without stickiness).
      const who = { ip: `192.0.2.${i % 20}`, ua: UA };
      a.accept(view, 'news.example', who);
      b.accept(view, 'news.example', who);
      a.accept(depth, 'news.example', who);
    }
    if (dialect === 'postgres') {
      await Promise.all([a.flush(), b.flush()]);
    } else {
      // Two SQLite connections in one process would wait on each other's lock with the event loop
      // blocked; separate processes take turns, as these do.
      await a.flush();
      await b.flush();
    }
    const row = await t.db.selectFrom('analytics_daily').selectAll().where('article_id', '=', articleId).executeTakeFirstOrThrow();
    expect([row.views, row.depth50, row.visitors]).toEqual([80, 40, 20]);
    const hours = await t.db.selectFrom('analytics_hourly').selectAll().where('article_id', '=', articleId).execute();
    expect(hours.reduce((n, h) => n + h.views, 0)).toBe(80);
    expect(hours.reduce((n, h) => n + h.visitors, 0)).toBe(20);
    const day = await t.db.selectFrom('analytics_days').selectAll().executeTakeFirstOrThrow();
    expect([day.views, day.visitors]).toEqual([80, 20]);
    // Both instances used the same salt.
    expect(await t.db.selectFrom('analytics_salts').selectAll().execute()).toHaveLength(1);
  });
});
