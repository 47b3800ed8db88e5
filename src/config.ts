import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  demo: boolean;
  secret: string;
  trustProxy: boolean;
  /** Milliseconds between scheduler ticks (publishing scheduled articles). */
  schedulerInterval: number;
  logLevel: string;
  /** `pretty`: readable lines and a start message for a person at a terminal; `json`: one JSON object a line (pino). */
  logFormat: LogFormat;
  /** Server processes sharing the port (1: a single process, no cluster). */
  workers: number;
  /** PostgreSQL: send queries as prepared statements (off behind a pooler that cannot keep them). */
  pgPrepare: boolean;
}

export type LogFormat = 'json' | 'pretty';

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
    trustProxy: onOff('GAZETTE_TRUST_PROXY', env.GAZETTE_TRUST_PROXY, false),
    schedulerInterval: positiveInt('GAZETTE_SCHEDULER_MS', env.GAZETTE_SCHEDULER_MS, 1000),
    logLevel: logLevel(env.LOG_LEVEL),
    logFormat: logFormat(env.LOG_FORMAT, tty),
    workers: workerCount(env.GAZETTE_WORKERS),
    pgPrepare: onOff('GAZETTE_PG_PREPARE', env.GAZETTE_PG_PREPARE, true),
  };
}
