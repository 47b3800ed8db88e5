import { inspect } from 'node:util';
import { ConfigError } from '../config.js';

/** Where a shared bucket is and how to reach it. The secret is kept out of logs and JSON. */
export interface S3Settings {
  /** The S3 API's address (MinIO, R2, another provider); absent: Amazon's own for the region. */
  endpoint: string | undefined;
  bucket: string;
  /** Put before every key (`site-a/`), so one bucket can hold several sites; empty: none. */
  prefix: string;
  region: string;
  /** Absent: the SDK's usual sources (AWS_* variables, an instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `host/bucket/key` addresses instead of `bucket.host/key` (MinIO and most self-hosted servers). */
  forcePathStyle: boolean;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^([\w.-]+\/)*$/;

function onOff(name: string, value: string | null | undefined, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  const v = value.toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be "on" or "off", got "${value}"`);
}

function endpointOf(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an http:// or https:// address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must start with http:// or https://`);
  return url;
}

/** Amazon's own hosts take bucket names in the host name; other servers usually want them in the path. */
const pathStyleFor = (endpoint: string | undefined) => endpoint !== undefined && !/\.amazonaws\.com$/i.test(new URL(endpoint).hostname);

function checked(s: S3Settings, name: string): S3Settings {
  if (!BUCKET.test(s.bucket))
    throw new ConfigError(`${name}: "${s.bucket}" is not a bucket name (3–63 lowercase letters, digits, dots, hyphens)`);
  if (!PREFIX.test(s.prefix)) throw new ConfigError(`${name}: the key prefix "${s.prefix}" may hold only letters, digits, . _ - and /`);
  if (!/^[a-z0-9-]{2,40}$/.test(s.region)) throw new ConfigError(`${name}: "${s.region}" is not a region name`);
  if (Boolean(s.accessKeyId) !== Boolean(s.secretAccessKey))
    throw new ConfigError(`${name}: give both the access key id and the secret key, or neither`);
  const secret = s.secretAccessKey;
  // Printed or serialised, the settings never show the secret.
  Object.defineProperty(s, 'secretAccessKey', { value: secret, enumerable: false });
  Object.defineProperty(s, inspect.custom, { value: () => `S3Settings(${describeS3(s)})`, enumerable: false });
  return s;
}

/** GAZETTE_S3_URL=https://KEY:SECRET@host:port/bucket[/prefix]?region=…&path_style=on */
function fromUrl(value: string): S3Settings {
  const url = endpointOf('GAZETTE_S3_URL', value);
  const [bucket = '', ...rest] = url.pathname.replace(/^\/+|\/+$/g, '').split('/');
  if (!bucket) throw new ConfigError('GAZETTE_S3_URL must name the bucket as its path: https://KEY:SECRET@host/bucket');
  const known = new Set(['region', 'path_style']);
  for (const key of url.searchParams.keys()) {
    if (!known.has(key)) throw new ConfigError(`GAZETTE_S3_URL: unknown option "${key}" (known: region, path_style)`);
  }
  const endpoint = `${url.protocol}//${url.host}`;
  return {
    endpoint,
    bucket,
    prefix: rest.length ? `${rest.join('/')}/` : '',
    region: url.searchParams.get('region') || 'us-east-1',
    accessKeyId: url.username ? decodeURIComponent(url.username) : undefined,
    secretAccessKey: url.password ? decodeURIComponent(url.password) : undefined,
    forcePathStyle: onOff('GAZETTE_S3_URL path_style', url.searchParams.get('path_style'), pathStyleFor(endpoint)),
  };
}

function fromVariables(env: NodeJS.ProcessEnv): S3Settings {
  const endpoint = env.S3_ENDPOINT ? endpointOf('S3_ENDPOINT', env.S3_ENDPOINT).toString().replace(/\/$/, '') : undefined;
  const prefix = (env.S3_PREFIX ?? '').replace(/^\/+/, '');
  return {
    endpoint,
    bucket: env.S3_BUCKET ?? '',
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: onOff('S3_FORCE_PATH_STYLE', env.S3_FORCE_PATH_STYLE, pathStyleFor(endpoint)),
  };
}

/**
 * The shared bucket for media and narration audio, from GAZETTE_S3_URL or the S3_* variables;
 * undefined (files in the data folder) when neither names a bucket. Throws a ConfigError for
 * settings that cannot work, before anything is served.
 */
export function loadS3Settings(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const url = env.GAZETTE_S3_URL || undefined;
  if (url && env.S3_BUCKET) throw new ConfigError('Set GAZETTE_S3_URL or S3_BUCKET (with the other S3_* settings), not both');
  if (url) return checked(fromUrl(url), 'GAZETTE_S3_URL');
  if (env.S3_BUCKET) return checked(fromVariables(env), 'S3_BUCKET');
  if (env.S3_ENDPOINT || env.S3_ACCESS_KEY_ID)
    throw new ConfigError('S3_ENDPOINT and S3_ACCESS_KEY_ID need S3_BUCKET: name the bucket to use');
  return undefined;
}

/** Where the files go, for a start message or an error: never the secret. */
export function describeS3(s: S3Settings): string {
  const where = s.endpoint ?? `Amazon S3 (${s.region})`;
  return `bucket ${s.bucket}${s.prefix ? ` under ${s.prefix}` : ''} at ${where}`;
}
