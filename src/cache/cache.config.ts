import { ConfigError } from '../config.js';

export interface PageCacheConfig {
  /** Keep rendered reader pages in memory (the CDN headers are sent either way). */
  enabled: boolean;
  maxBytes: number;
  /** Longest a page is kept without any event purging it. */
  ttlMs: number;
  /** How often the events table is read for purges (writes by other processes and instances). */
  pollMs: number;
  /** Redis for telling other instances at once that something changed. */
  redisUrl?: string;
  /** Hits after which a page is recompressed with the best settings (0: never; default RECOMPRESS_AFTER_HITS). */
  recompressAfterHits?: number;
  /** Renders (requests the cache did not answer) one client address may cause per window (absent: no limit). */
  renderLimit?: { renders: number; windowMs: number };
  /** Hits on kept-alive connections answered at the socket (socket.door.ts); false: by the front door only. Absent: on. */
  socketDoor?: boolean;
}

/** GAZETTE_SOCKET_DOOR: on (the default) or off, which leaves every request to Node's HTTP parser and the front door. */
export function socketDoorOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = (env.GAZETTE_SOCKET_DOOR ?? 'on').trim().toLowerCase();
  if (['on', 'true', '1', ''].includes(flag)) return true;
  if (['off', 'false', '0'].includes(flag)) return false;
  throw new ConfigError(`GAZETTE_SOCKET_DOOR must be "on" or "off", got "${env.GAZETTE_SOCKET_DOOR}"`);
}

/** GAZETTE_RENDER_LIMIT: renders per client address, `30` (per 10 seconds) or `30/10` (per that many seconds); 0 or off: none. */
function renderLimit(value: string | undefined): PageCacheConfig['renderLimit'] {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return { renders: 30, windowMs: 10_000 };
  if (text === '0' || text === 'off') return undefined;
  const m = /^(\d{1,6})(?:\/(\d{1,5}))?$/.exec(text);
  const renders = Number(m?.[1]);
  const seconds = Number(m?.[2] ?? 10);
  if (!m || renders < 1 || seconds < 1) {
    throw new ConfigError(
      `GAZETTE_RENDER_LIMIT must be renders per 10 seconds ("30"), renders per seconds ("30/10") or "off", got "${value}"`,
    );
  }
  return { renders, windowMs: seconds * 1000 };
}

function whole(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** GAZETTE_PAGE_CACHE (on|off), GAZETTE_PAGE_CACHE_MB, GAZETTE_PAGE_CACHE_TTL_S, GAZETTE_PURGE_POLL_MS, GAZETTE_RENDER_LIMIT, GAZETTE_SOCKET_DOOR, REDIS_URL. */
export function pageCacheConfig(env: NodeJS.ProcessEnv = process.env): PageCacheConfig {
  const flag = (env.GAZETTE_PAGE_CACHE ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0', ''].includes(flag)) {
    throw new ConfigError(`GAZETTE_PAGE_CACHE must be "on" or "off", got "${env.GAZETTE_PAGE_CACHE}"`);
  }
  return {
    enabled: ['on', 'true', '1', ''].includes(flag),
    maxBytes: whole('GAZETTE_PAGE_CACHE_MB', env.GAZETTE_PAGE_CACHE_MB, 32, 1) * 1024 * 1024,
    ttlMs: whole('GAZETTE_PAGE_CACHE_TTL_S', env.GAZETTE_PAGE_CACHE_TTL_S, 600, 1) * 1000,
    pollMs: whole('GAZETTE_PURGE_POLL_MS', env.GAZETTE_PURGE_POLL_MS, 250, 10),
    redisUrl: env.REDIS_URL || undefined,
    renderLimit: renderLimit(env.GAZETTE_RENDER_LIMIT),
    socketDoor: socketDoorOn(env),
  };
}
