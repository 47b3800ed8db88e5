import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsCollector } from '../../src/analytics/analytics.ingest.js';
import { threadSink } from '../../src/analytics/analytics.thread.client.js';
import { parseBeacon } from '../../src/analytics/beacon.parse.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.each(DIALECTS)('the analytics writer thread on %s', (dialect) => {
  let t: TestDb;
  let articleId: number;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    articleId = (await makeArticle(t.db, { section: 'Politics', slug: 'threaded' })).id;
  });
  afterAll(() => t.destroy());

  const sink = () => threadSink({ dataDir: t.dataDir, databaseUrl: t.databaseUrl, pgPrepare: true });
  const daily = async () =>
    await t.db
      .selectFrom('analytics_daily')
      .select(['views', 'visitors', 'depth50'])
      .where('article_id', '=', articleId)
      .executeTakeFirst();

  it("writes what the server's thread buffered, with visitors and rollups, and the last beacons when stopped", async () => {
    const collector = new AnalyticsCollector(t.db, { sink: sink() });
    const view = parseBeacon({ type: 'view', path: '/politics/threaded' });
    collector.accept(view, 'news.example', { ip: '203.0.113.1', ua: UA });
    collector.accept(view, 'news.example', { ip: '203.0.113.1', ua: UA });
    collector.accept(view, 'news.example', { ip: '203.0.113.2', ua: UA });
    expect(await collector.flush()).toBe(3);
    expect(await daily()).toMatchObject({ views: 3, visitors: 2 });
    // Left in the buffer: written by stop(), which also ends the thread.
    collector.accept(parseBeacon({ type: 'depth', path: '/politics/threaded', value: 50 }), 'news.example', null);
    await collector.stop();
    expect(collector.size).toBe(0);
    expect(await daily()).toMatchObject({ views: 3, visitors: 2, depth50: 1 });
    const raw = await t.db.selectFrom('analytics_events').select('type').where('article_id', '=', articleId).execute();
    expect(raw).toHaveLength(4);
  });

  it('keeps a batch the thread could not write for the next flush', async () => {
    const collector = new AnalyticsCollector(t.db, {
      sink: threadSink({ dataDir: t.dataDir, databaseUrl: 'postgres://nobody@127.0.0.1:1/none', pgPrepare: true }),
    });
    collector.accept(parseBeacon({ type: 'view', path: '/politics/threaded' }), 'news.example', null);
    await expect(collector.flush()).rejects.toThrow();
    expect(collector.size).toBe(1);
    await collector.stop().catch(() => {});
  });
});
