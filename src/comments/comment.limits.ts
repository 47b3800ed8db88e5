import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { isClusterWorker } from '../cluster/messages.js';
import { ClusterRateLimitStore } from './comment.limiter.cluster.js';
import { MemoryRateLimitStore, type RateLimitStore } from './comment.limiter.js';
import { RedisRateLimitStore, rateLimitRedis } from './comment.limiter.redis.js';

export interface RateLimits {
  kind: 'redis' | 'cluster' | 'memory';
  store: RateLimitStore;
  /** The connection the login throttles share, when limits live in Redis. */
  redis?: Redis;
  /** Waits (briefly) for Redis, so the first hits after start are already shared. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitsOptions {
  redisUrl?: string;
  log: FastifyBaseLogger;
  env?: NodeJS.ProcessEnv;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Where this process keeps its rate limits: Redis when REDIS_URL is set (shared by every process
 * and instance), the cluster primary when this is one of Gazette's workers (shared by the workers
 * of one machine), else this process's memory. When Redis or the primary stop answering, the
 * process counts on its own rather than refusing comments, and keeps asking.
 */
export function openRateLimits({ redisUrl, log, env = process.env }: RateLimitsOptions): RateLimits {
  if (redisUrl) return openRedis(redisUrl, log);
  if (isClusterWorker(env)) {
    const store = new ClusterRateLimitStore({
      onFallback: (reason) => log.warn({ reason }, 'rate limits: the primary process does not answer; this worker counts on its own'),
      onRecover: () => log.info('rate limits: the primary process answers again'),
    });
    return { kind: 'cluster', store, ready: async () => {}, close: async () => store.close() };
  }
  return { kind: 'memory', store: new MemoryRateLimitStore(), ready: async () => {}, close: async () => {} };
}

function openRedis(url: string, log: FastifyBaseLogger): RateLimits {
  const redis = rateLimitRedis(url);
  let down = false;
  const fallback = (error: unknown) => {
    if (down) return;
    down = true;
    log.warn({ reason: reasonOf(error) }, 'rate limits: Redis is unreachable; this process counts on its own until it answers');
  };
  const recover = () => {
    if (!down) return;
    down = false;
    log.info('rate limits: Redis answers again');
  };
  redis.on('error', fallback);
  redis.on('ready', recover);
  const store = new RedisRateLimitStore(redis, { onFallback: fallback, onRecover: recover });
  return {
    kind: 'redis',
    store,
    redis,
    ready: () => whenReady(redis, 2000),
    close: async () => redis.disconnect(),
  };
}

/** Resolves when Redis answers, or at its first failure (the process then starts counting on its own), or after `timeoutMs`. */
function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
