import { randomBytes } from 'node:crypto';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { lazy } from '../lazy.js';
import { MemoryRateLimitStore, type RateLimitStore, type RateResult, type RateRule } from './comment.limiter.js';

const ioredis = lazy<typeof IORedis>('ioredis');

/** Every rate-limit key Gazette writes to Redis starts with this. */
export const RATE_PREFIX = 'gazette:rate:';

/**
 * The memory store's sliding-window log as one script, so checking and recording are a single
 * step that no other process can interleave with. Each key is a sorted set of hit times, trimmed
 * to the longest window and the largest `max`, and expires when its longest window has passed.
 * KEYS: the keys. ARGV: now, a unique member, the number of rules, then max and windowMs of each.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[3])
local longest, keep = 0, 0
for r = 1, n do
  keep = math.max(keep, tonumber(ARGV[2 + 2 * r]))
  longest = math.max(longest, tonumber(ARGV[3 + 2 * r]))
end
local retry = 0
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
  for r = 1, n do
    local max = tonumber(ARGV[2 + 2 * r])
    local window = tonumber(ARGV[3 + 2 * r])
    local from = '(' .. (now - window)
    local count = redis.call('ZCOUNT', key, from, '+inf')
    if count >= max then
      local oldest = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
      retry = math.max(retry, math.ceil((tonumber(oldest[2]) + window - now) / 1000))
    end
  end
end
if retry > 0 then return {0, retry} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[2] .. ':' .. i)
  redis.call('ZREMRANGEBYRANK', key, 0, -(keep + 1))
  redis.call('PEXPIRE', key, longest)
end
return {1, 0}
`;

type HitCommand = (...args: (string | number)[]) => Promise<[number, number]>;

/**
 * A connection suited to rate limiting: commands fail at once while Redis is away (instead of
 * queueing behind a reconnect) and give up after half a second, so a comment never waits on
 * Redis for long. The client reconnects by itself.
 */
export function rateLimitRedis(url: string): Redis {
  return new (ioredis().Redis)(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 500 });
}

export interface RedisRateLimitOptions {
  /** Key prefix; `gazette:rate:` unless a test needs its own. */
  prefix?: string;
  /** Called once when Redis stops answering and this process starts counting on its own. */
  onFallback?: (error: unknown) => void;
  /** Called once when Redis answers again. */
  onRecover?: () => void;
}

/** The memory store's rules, kept in Redis so that every process and instance shares them. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly local = new MemoryRateLimitStore();
  private readonly prefix: string;
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRateLimitOptions = {},
  ) {
    this.prefix = options.prefix ?? RATE_PREFIX;
    if (!('gazetteRateHit' in redis)) redis.defineCommand('gazetteRateHit', { lua: HIT_SCRIPT });
  }

  async hit(keys: string[], rules: RateRule[], now: number): Promise<RateResult> {
    try {
      if (this.redis.status !== 'ready') throw new Error(`Redis connection is ${this.redis.status}`);
      const command = (this.redis as unknown as { gazetteRateHit: HitCommand }).gazetteRateHit;
      const member = `${now}:${randomBytes(6).toString('hex')}`;
      const args = [keys.length, ...keys.map((k) => this.prefix + k), now, member, rules.length];
      const [ok, retryAfter] = await command.call(this.redis, ...args, ...rules.flatMap((r) => [r.max, r.windowMs]));
      if (this.failing) {
        this.failing = false;
        this.options.onRecover?.();
      }
      return { ok: ok === 1, retryAfter: Number(retryAfter) };
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.options.onFallback?.(error);
      }
      return this.local.hit(keys, rules, now);
    }
  }
}
