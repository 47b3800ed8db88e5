import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { siteChannel } from '../../src/cache/purge.site.js';
import { recordEvent } from '../../src/events.js';
import { REDIS_URL, until } from '../comments/limits.helpers.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

/** Waits (generously) until `check` holds. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(DIALECTS)('purge nudges named per site on %s', (dialect) => {
  let site: CachedApp;
  let other: CachedApp;
  let publisher: Redis;
  let lead: { url: string; id: number };
  beforeAll(async () => {
    // Both poll only every minute: only a nudge makes them read the events table in time.
    site = await createCachedApp(dialect, { redisUrl: REDIS_URL, pollMs: 60_000 });
    other = await createCachedApp(dialect, { redisUrl: REDIS_URL, pollMs: 60_000 });
    lead = await makeArticle(site.t.db, { headline: 'Channel Lead', section: 'Politics' });
    publisher = new Redis(REDIS_URL);
    await until(() => Boolean(site.app.pageCache.fanout?.connected && other.app.pageCache.fanout?.connected), 5000);
  });
  afterAll(async () => {
    publisher.disconnect();
    await other.close();
    await site.close();
  });

  it('each site has its own channel, made with its database', async () => {
    const mine = await siteChannel(site.t.db);
    expect(mine).toMatch(/^gazette:events:[0-9a-f]{24}$/);
    expect(await siteChannel(other.t.db)).not.toBe(mine);
    expect(await siteChannel(site.t.db)).toBe(mine);
  });

  it("an event written by another process is purged after a nudge on the site's channel, not another site's", async () => {
    await site.app.pageCache.sync();
    await site.app.inject(lead.url);
    expect((await site.app.inject(lead.url)).headers['x-cache']).toBe('HIT');
    // As `gazette publish` does: a transaction of its own, no HTTP request to any instance.
    await site.t.db.transaction().execute((trx) => recordEvent(trx, 'article.updated', lead.id));
    const poller = site.app.pageCache.poller;
    if (!poller) throw new Error('no poller');
    const reads = vi.spyOn(poller, 'sync');
    // Delivered in this order on one connection: the other site's nudge arrives first.
    await publisher.publish(await siteChannel(other.t.db), 'someone:1');
    await publisher.publish(await siteChannel(site.t.db), 'someone:2');
    await eventually(async () => reads.mock.calls.length > 0 && (await site.app.inject(lead.url)).headers['x-cache'] === 'MISS');
    expect(reads.mock.calls).toEqual([[{ announcedUpTo: 2 }]]);
    reads.mockRestore();
  });
});

describe.each(DIALECTS)('every event is announced, whoever wrote it, on %s', (dialect) => {
  let watcher: CachedApp;
  let idle: CachedApp;
  beforeAll(async () => {
    // One instance polls as usual; the other only every minute, so only the first one's announcement can reach it.
    watcher = await createCachedApp(dialect, { redisUrl: REDIS_URL, pollMs: 100 });
    idle = await createCachedApp(dialect, { redisUrl: REDIS_URL, pollMs: 60_000 }, watcher.t);
    await makeArticle(watcher.t.db, { headline: 'Before The Import', section: 'Politics' });
    await until(() => Boolean(watcher.app.pageCache.fanout?.connected && idle.app.pageCache.fanout?.connected), 5000);
  });
  afterAll(async () => {
    await idle.close();
    await watcher.close();
  });

  it('a write outside any HTTP request reaches the instance that did not read it', async () => {
    await idle.app.pageCache.sync();
    await idle.app.inject('/');
    expect((await idle.app.inject('/')).headers['x-cache']).toBe('HIT');
    await makeArticle(watcher.t.db, { headline: 'Written By A Command', section: 'Politics' });
    await eventually(async () => (await idle.app.inject('/')).body.includes('Written By A Command'));
  });
});
