import { expect } from 'vitest';
import type { RateLimitStore } from '../../src/comments/comment.limiter.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Waits until `check` holds, polling every 10 ms. */
export async function until(check: () => boolean, ms: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One comment per 10 s and three an hour: the rules every store is checked with. */
export const RULES = [
  { max: 1, windowMs: 10_000 },
  { max: 3, windowMs: 3_600_000 },
];

/** The behaviour every rate-limit store shares: one per window, other keys apart, and when to retry. */
export async function expectSlidingWindow(store: RateLimitStore): Promise<void> {
  expect(await store.hit(['ip:a'], RULES, 0)).toMatchObject({ ok: true, retryAfter: 0 });
  expect(await store.hit(['ip:a'], RULES, 4000)).toMatchObject({ ok: false, retryAfter: 6 });
  expect((await store.hit(['ip:b'], RULES, 4000)).ok).toBe(true);
  expect((await store.hit(['ip:a'], RULES, 10_001)).ok).toBe(true);
  expect((await store.hit(['ip:a'], RULES, 20_002)).ok).toBe(true);
  const hourly = await store.hit(['ip:a'], RULES, 30_003);
  expect(hourly.ok).toBe(false);
  expect(hourly.retryAfter).toBe(3570);
}
