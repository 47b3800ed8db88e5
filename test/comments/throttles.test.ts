import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, type RateLimitStore } from '../../src/comments/comment.limiter.js';
import { throttleStore } from '../../src/comments/comment.throttles.js';

type Counted = { current: number; ttl: number };
type Store = { incr(key: string, done: (e: Error | null, r?: Counted) => void, timeWindow: number, max: number): void };

const LOGIN = { routeInfo: { method: 'POST', url: '/admin/login' } };

function incr(store: Store, key: string, timeWindow: number, max: number): Promise<Counted> {
  return new Promise((resolve, reject) => store.incr(key, (e, r) => (e || !r ? reject(e) : resolve(r)), timeWindow, max));
}

/** A route's store, as @fastify/rate-limit makes it: the class with the plugin's options, then a child per route. */
function routeStore(limits: RateLimitStore, clock: () => number, route = LOGIN): Store {
  const Throttles = throttleStore(limits, clock);
  return new Throttles({}).child(route as never) as unknown as Store;
}

describe('throttles counted in a rate-limit store', () => {
  it('allows max hits a window, refuses the next with the time left, and counts other keys apart', async () => {
    let now = 1_000_000;
    const store = routeStore(new MemoryRateLimitStore(), () => now);
    for (let i = 1; i <= 10; i++) {
      expect(await incr(store, '203.0.113.7', 60_000, 10)).toEqual({ current: i, ttl: 60_000 });
      now += 1000;
    }
    now += 20_000;
    // The first hit was 30 s ago: it leaves the window in 30 s.
    const refused = await incr(store, '203.0.113.7', 60_000, 10);
    expect(refused.current).toBeGreaterThan(10);
    expect(refused.ttl).toBe(30_000);
    expect(await incr(store, '203.0.113.8', 60_000, 10)).toEqual({ current: 1, ttl: 60_000 });
    // A refused hit is not counted: once the first hit has left the window there is room for one.
    now += 30_000;
    expect(await incr(store, '203.0.113.7', 60_000, 10)).toEqual({ current: 10, ttl: 60_000 });
    expect((await incr(store, '203.0.113.7', 60_000, 10)).current).toBe(11);
  });

  it('shares one count between stores over the same limits (two workers, one primary), per route', async () => {
    const limits = new MemoryRateLimitStore();
    const one = routeStore(limits, Date.now);
    const two = routeStore(limits, Date.now);
    const report = routeStore(limits, Date.now, { routeInfo: { method: 'POST', url: '/comments/:id/report' } });
    expect((await incr(one, '198.51.100.1', 60_000, 3)).current).toBe(1);
    expect((await incr(two, '198.51.100.1', 60_000, 3)).current).toBe(2);
    expect((await incr(one, '198.51.100.1', 60_000, 3)).current).toBe(3);
    expect((await incr(two, '198.51.100.1', 60_000, 3)).current).toBe(4);
    expect((await incr(report, '198.51.100.1', 60_000, 3)).current).toBe(1);
  });

  it('keeps its keys apart from the comment limits', async () => {
    const keys: string[] = [];
    const spy: RateLimitStore = {
      hit: async (k) => {
        keys.push(...k);
        return { ok: true, retryAfter: 0 };
      },
    };
    // A store that does not say how many hits are left still answers (as the first of the window).
    expect(await incr(routeStore(spy, Date.now), '198.51.100.2', 60_000, 10)).toEqual({ current: 1, ttl: 60_000 });
    expect(keys).toEqual(['http:POST/admin/login-198.51.100.2']);
  });

  it('refuses everything when max is 0, and will not pretend to back off', () => {
    const Throttles = throttleStore(new MemoryRateLimitStore());
    expect(() => new Throttles({ exponentialBackoff: true } as never)).toThrow(/exponentialBackoff/);
    const store = new Throttles({}).child(LOGIN as never) as unknown as Store;
    return expect(incr(store, 'x', 60_000, 0)).resolves.toMatchObject({ current: 1 });
  });
});

describe('@fastify/rate-limit with the throttle store', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  async function app(limits: RateLimitStore): Promise<FastifyInstance> {
    const a = Fastify();
    await a.register(rateLimit, { global: false, store: throttleStore(limits) });
    a.post('/admin/login', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async () => 'tried');
    a.post('/other', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async () => 'other');
    apps.push(a);
    return a;
  }

  it('refuses the attempt after max across two apps over one store, with accurate headers', async () => {
    const limits = new MemoryRateLimitStore();
    const [one, two] = await Promise.all([app(limits), app(limits)]);
    const answers = [];
    for (const a of [one, two, one, two]) answers.push(await a.inject({ method: 'POST', url: '/admin/login', remoteAddress: '192.0.2.9' }));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.slice(0, 3).map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(answers[3].headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await one.inject({ method: 'POST', url: '/admin/login', remoteAddress: '192.0.2.10' })).statusCode).toBe(200);
    expect((await two.inject({ method: 'POST', url: '/other', remoteAddress: '192.0.2.9' })).statusCode).toBe(200);
  });
});

describe('the memory rate-limit store shared by comments and throttles', () => {
  it('says how many hits are left under the tightest rule', async () => {
    const store = new MemoryRateLimitStore();
    const rules = [
      { max: 2, windowMs: 10_000 },
      { max: 5, windowMs: 3_600_000 },
    ];
    expect(await store.hit(['ip:a'], rules, 0)).toEqual({ ok: true, retryAfter: 0, remaining: 1 });
    expect(await store.hit(['ip:a'], rules, 1)).toEqual({ ok: true, retryAfter: 0, remaining: 0 });
    expect(await store.hit(['ip:a'], rules, 2)).toEqual({ ok: false, retryAfter: 10, remaining: 0 });
    expect(await store.hit(['ip:a', 'email:b'], rules, 20_000)).toEqual({ ok: true, retryAfter: 0, remaining: 1 });
  });

  it('does not sweep away an hourly comment limit while counting minute-long throttles', async () => {
    const store = new MemoryRateLimitStore();
    const hourly = [{ max: 1, windowMs: 3_600_000 }];
    expect((await store.hit(['ip:c'], hourly, 0)).ok).toBe(true);
    // Enough short-window hits, two minutes later, to set off a sweep.
    for (let i = 0; i < 1000; i++) await store.hit([`http:POST/admin/login-${i}`], [{ max: 10, windowMs: 60_000 }], 120_000);
    expect(await store.hit(['ip:c'], hourly, 130_000)).toMatchObject({ ok: false, retryAfter: 3470 });
  });
});
