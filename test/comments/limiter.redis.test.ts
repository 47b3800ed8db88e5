import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore, rateLimitRedis } from '../../src/comments/comment.limiter.redis.js';
import { expectSlidingWindow, REDIS_URL, RULES, until } from './limits.helpers.js';

describe('the Redis rate limiter', () => {
  const prefix = `gazette:rate:test:${randomBytes(6).toString('hex')}:`;
  const clients: Redis[] = [];
  const connect = async () => {
    const redis = rateLimitRedis(REDIS_URL);
    redis.on('error', () => {});
    clients.push(redis);
    await until(() => redis.status === 'ready', 2000);
    return redis;
  };
  let one: Redis;
  let two: Redis;
  beforeAll(async () => {
    one = await connect();
    two = await connect();
  });
  afterAll(async () => {
    const keys = await one.keys(`${prefix}*`);
    if (keys.length) await one.del(...keys);
    for (const c of clients) c.disconnect();
  });

  it('allows one per window and says when to retry, like the memory store', async () => {
    await expectSlidingWindow(new RedisRateLimitStore(one, { prefix: `${prefix}table:` }));
  });

  it('records a hit under every key only when every key passes', async () => {
    const p = `${prefix}all:`;
    const store = new RedisRateLimitStore(one, { prefix: p });
    expect((await store.hit(['ip:x'], RULES, 0)).ok).toBe(true);
    expect(await store.hit(['ip:x', 'email:y'], RULES, 1000)).toEqual({ ok: false, retryAfter: 9 });
    expect(await one.zcard(`${p}email:y`)).toBe(0);
    expect((await store.hit(['email:y', 'ip:z'], RULES, 1000)).ok).toBe(true);
    expect(await one.zcard(`${p}email:y`)).toBe(1);
    expect(await one.zcard(`${p}ip:z`)).toBe(1);
  });

  it('keeps each key small and lets it expire after its longest window', async () => {
    const p = `${prefix}expiry:`;
    const store = new RedisRateLimitStore(one, { prefix: p });
    const loose = [{ max: 2, windowMs: 5000 }];
    for (let t = 0; t < 10; t++) await store.hit(['ip:e'], loose, t * 3000);
    expect(await one.zcard(`${p}ip:e`)).toBe(2);
    const ttl = await one.pttl(`${p}ip:e`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('lets exactly one of two processes take the last slot', async () => {
    const p = `${prefix}race:`;
    const a = new RedisRateLimitStore(one, { prefix: p });
    const b = new RedisRateLimitStore(two, { prefix: p });
    const hourly = [{ max: 3, windowMs: 3_600_000 }];
    const now = Date.now();
    expect((await a.hit(['ip:r'], hourly, now)).ok).toBe(true);
    expect((await b.hit(['ip:r'], hourly, now)).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit(['ip:r'], hourly, now + 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await one.zcard(`${p}ip:r`)).toBe(3);
  });

  it('counts in memory while Redis is away, says so once, and goes back to Redis when it reconnects', async () => {
    const p = `${prefix}away:`;
    const redis = await connect();
    const events: string[] = [];
    const store = new RedisRateLimitStore(redis, {
      prefix: p,
      onFallback: () => events.push('fallback'),
      onRecover: () => events.push('recover'),
    });
    redis.disconnect(true);
    await until(() => redis.status !== 'ready', 2000);
    const now = Date.now();
    expect((await store.hit(['ip:w'], RULES, now)).ok).toBe(true);
    expect((await store.hit(['ip:w'], RULES, now + 1000)).ok).toBe(false);
    expect(events).toEqual(['fallback']);
    await until(() => redis.status === 'ready', 2000);
    expect((await store.hit(['ip:w'], RULES, now + 2000)).ok).toBe(true);
    expect(events).toEqual(['fallback', 'recover']);
    expect(await one.zcard(`${p}ip:w`)).toBe(1);
  });

  it('falls back when Redis was never reachable', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const reasons: unknown[] = [];
    const store = new RedisRateLimitStore(redis, { prefix: `${prefix}never:`, onFallback: (e) => reasons.push(e) });
    expect(await store.hit(['ip:n'], RULES, 0)).toMatchObject({ ok: true, retryAfter: 0 });
    expect(await store.hit(['ip:n'], RULES, 1000)).toMatchObject({ ok: false, retryAfter: 9 });
    expect(reasons).toHaveLength(1);
    redis.disconnect();
  });
});
