import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { loadS3Settings, type S3Settings } from './storage/storage.config.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  demo: boolean;
  secret: string;
  /** Which proxies' `X-Forwarded-*` headers are believed (see TrustProxy). */
  trustProxy: TrustProxy;
  /** Milliseconds between scheduler ticks (publishing scheduled articles). */
  schedulerInterval: number;
  logLevel: string;
  /** `pretty`: readable lines and a start message for a person at a terminal; `json`: one JSON object a line (pino). */
  logFormat: LogFormat;
  /** Server processes sharing the port (1: a single process, no cluster). */
  workers: number;
  /** PostgreSQL: send queries as prepared statements (off behind a pooler that cannot keep them). */
  pgPrepare: boolean;
  /** PostgreSQL connections per process (GAZETTE_PG_POOL; 10 when absent). */
  pgPool?: number;
  /** This instance's duties (GAZETTE_ROLE; `all` when absent): see src/ops/role.ts. */
  role?: Role;
  /** GAZETTE_SECRET_CHANGED=yes: accept a new secret and store its fingerprint (src/ops/fingerprint.ts). */
  secretChanged?: boolean;
  /** A bucket shared by every instance for media and narration audio; absent: the data folder. */
  s3?: S3Settings;
  /** Prometheus metrics on an address of their own (GAZETTE_METRICS=on); absent: off. */
  metrics?: MetricsConfig;
  /** GAZETTE_SMTP_URL: the mail server newsletters go through (`smtp://user:pass@host:port`, `smtps://…`); the newsroom may override it. */
  smtpUrl?: string;
  /** GAZETTE_MAIL_FROM: the sender of newsletter emails (`News <news@example.org>`); the newsroom may override it. */
  mailFrom?: string;
  /** GAZETTE_WEBHOOKS_ALLOW_PRIVATE=on: webhooks and the WebSub hub may be on private or loopback addresses (default off). */
  webhooksAllowPrivate?: boolean;
}

/** GAZETTE_METRICS_ADDR (host:port, 127.0.0.1:9464 when absent) and GAZETTE_METRICS_TOKEN (a bearer token scrapers must send). */
export interface MetricsConfig {
  host: string;
  port: number;
  token?: string;
}

export type LogFormat = 'json' | 'pretty';

export type Role = 'web' | 'worker' | 'all';

/**
 * GAZETTE_TRUST_PROXY: `false` believes no `X-Forwarded-*` header; `true` (`on`) is one proxy hop;
 * a number is that many hops; a list names the proxies (addresses and CIDR ranges). The client is
 * the right-most address of `X-Forwarded-For` that is not a trusted proxy.
 */
export type TrustProxy = boolean | number | string[];

export class ConfigError extends Error {}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be "on" or "off", got "${value}"`);
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function trustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim().toLowerCase();
  if (['', 'off', 'false', 'no', '0'].includes(v)) return false;
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (/^\d{1,2}$/.test(v) && Number(v) <= 20) return Number(v);
  const list = v.split(',').map((s) => s.trim());
  if (!/^\d+$/.test(v) && list.every(isAddressOrRange)) return list;
  throw new ConfigError(
    `GAZETTE_TRUST_PROXY must be "off", "on" (one proxy), a number of proxies from 1 to 20, or proxy addresses and CIDR ranges separated by commas (e.g. "10.0.0.0/8,127.0.0.1"), got "${value}"`,
  );
}

/** GAZETTE_PG_POOL: how many PostgreSQL connections one process keeps, 1 to 1000. */
function poolSize(value: string | undefined): number {
  if (value === undefined || value === '') return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new ConfigError(`GAZETTE_PG_POOL must be a whole number from 1 to 1000, got "${value}"`);
  }
  return n;
}

/** GAZETTE_ROLE: `web` serves pages, `worker` runs the background duties, `all` does both. */
function role(value: string | undefined): Role {
  if (value === undefined || value === '') return 'all';
  const v = value.toLowerCase();
  if (v === 'web' || v === 'worker' || v === 'all') return v;
  throw new ConfigError(`GAZETTE_ROLE must be "web", "worker" or "all", got "${value}"`);
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number of milliseconds, got "${value}"`);
  return n;
}

/** GAZETTE_WORKERS: a whole number from 1 to 64, or "auto" for one per processor core. */
function workerCount(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (value.toLowerCase() === 'auto') return Math.min(availableParallelism(), 64);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigError(`GAZETTE_WORKERS must be "auto" or a whole number from 1 to 64, got "${value}"`);
  }
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(value: string | undefined): string {
  if (value === undefined || value === '') return 'info';
  if (!LOG_LEVELS.includes(value)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return value;
}

/** LOG_FORMAT: `json` or `pretty`; unset, pretty on a terminal and JSON otherwise (files, pipes, log collectors). */
function logFormat(value: string | undefined, tty: boolean): LogFormat {
  if (value === undefined || value === '') return tty ? 'pretty' : 'json';
  const v = value.toLowerCase();
  if (v === 'json' || v === 'pretty') return v;
  throw new ConfigError(`LOG_FORMAT must be "json" or "pretty", got "${value}"`);
}

function metrics(env: NodeJS.ProcessEnv): MetricsConfig | undefined {
  if (!onOff('GAZETTE_METRICS', env.GAZETTE_METRICS, false)) return undefined;
  const addr = env.GAZETTE_METRICS_ADDR || '127.0.0.1:9464';
  const m = /^(.+):(\d{1,5})$/.exec(addr);
  const host = m?.[1].replace(/^\[(.*)\]$/, '$1') ?? '';
  if (!m || !isIP(host) || Number(m[2]) > 65535) {
    throw new ConfigError(`GAZETTE_METRICS_ADDR must be an address and a port such as "127.0.0.1:9464", got "${addr}"`);
  }
  const token = env.GAZETTE_METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 16) throw new ConfigError('GAZETTE_METRICS_TOKEN must be at least 16 characters');
  return { host, port: Number(m[2]), token };
}

/** GAZETTE_WEBHOOKS_ALLOW_PRIVATE (`off` when absent); read again by the delivery jobs, which have no Config. */
export function webhooksAllowPrivate(env: NodeJS.ProcessEnv = process.env): boolean {
  return onOff('GAZETTE_WEBHOOKS_ALLOW_PRIVATE', env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE, false);
}

/** The secret keys sessions and IP hashes; kept in the data folder so restarts keep sessions valid. */
function loadSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, tty = process.stdout.isTTY === true): Config {
  const dataDir = resolve(env.GAZETTE_DATA || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset for SQLite)');
  }
  return {
    port: parsePort(env.PORT),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl,
    redisUrl: env.REDIS_URL || undefined,
    demo: onOff('GAZETTE_DEMO', env.GAZETTE_DEMO, true),
    secret: loadSecret(dataDir, env.GAZETTE_SECRET),
    trustProxy: trustProxy(env.GAZETTE_TRUST_PROXY),
    schedulerInterval: positiveInt('GAZETTE_SCHEDULER_MS', env.GAZETTE_SCHEDULER_MS, 1000),
    logLevel: logLevel(env.LOG_LEVEL),
    logFormat: logFormat(env.LOG_FORMAT, tty),
    workers: workerCount(env.GAZETTE_WORKERS),
    pgPrepare: onOff('GAZETTE_PG_PREPARE', env.GAZETTE_PG_PREPARE, true),
    pgPool: poolSize(env.GAZETTE_PG_POOL),
    role: role(env.GAZETTE_ROLE),
    secretChanged: onOff('GAZETTE_SECRET_CHANGED', env.GAZETTE_SECRET_CHANGED, false),
    s3: loadS3Settings(env),
    metrics: metrics(env),
    smtpUrl: smtpUrl(env.GAZETTE_SMTP_URL),
    mailFrom: env.GAZETTE_MAIL_FROM?.trim() || undefined,
    webhooksAllowPrivate: webhooksAllowPrivate(env),
  };
}

/** GAZETTE_SMTP_URL: smtp:// or smtps:// with a host; unset or empty: mail is not configured. */
function smtpUrl(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    throw new ConfigError('GAZETTE_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  return v;
}
