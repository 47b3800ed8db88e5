import { ConfigError } from '../config.js';

/** Connection failures, in the operator's terms. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
  ENOTFOUND: 'no such host (check the host name in DATABASE_URL)',
  EAI_AGAIN: 'the host name could not be looked up (check DNS and the host name in DATABASE_URL)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
};

/** PostgreSQL's refusals at connection time (SQLSTATE). */
const POSTGRES: Record<string, string> = {
  '28P01': 'password authentication failed (check the user and password in DATABASE_URL)',
  '28000': 'the server refused this user (check the user in DATABASE_URL and pg_hba.conf)',
  '3D000': 'no such database (create it, or check the name in DATABASE_URL)',
  '53300': 'too many connections (lower GAZETTE_PG_POOL or raise max_connections)',
  '57P03': 'the database is starting up or shutting down',
  '55000': 'the database does not accept connections now',
};

const FILES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'disk full',
};

/** Where DATABASE_URL points, without the user or password. */
export function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'DATABASE_URL';
  }
}

type Failure = Error & { code?: string; path?: string; syscall?: string; errors?: unknown[] };

/**
 * One line saying why the program could not start: configuration, the database, the data folder
 * or a full disk; never a stack trace, a password or a connection string.
 */
export function explainStartError(error: unknown, env: { DATABASE_URL?: string; GAZETTE_DATA?: string } = process.env): string {
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  const e = (error ?? {}) as Failure;
  // Several addresses tried at once (localhost as ::1 and 127.0.0.1) fail together.
  const code = e.code ?? (e.errors?.[0] as Failure | undefined)?.code ?? '';
  const message = firstLine(e.message ?? String(error));
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === '53100') return `disk full: ${message}`;
  if (env.DATABASE_URL && (NETWORK[code] || POSTGRES[code] || /timeout expired|terminated unexpectedly/i.test(message))) {
    const why = NETWORK[code] ?? POSTGRES[code] ?? 'the connection timed out';
    return `cannot reach the database at ${databaseAddress(env.DATABASE_URL)}: ${why}`;
  }
  if (FILES[code] && e.path) return `cannot use the data folder: ${FILES[code]}: ${e.path} (check GAZETTE_DATA and its permissions)`;
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    const folder = env.GAZETTE_DATA || './data';
    return `cannot use the data folder: the database file in ${folder} cannot be opened for writing (check GAZETTE_DATA and its permissions)`;
  }
  return `error: ${message}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  // A connection string in a driver's message keeps its host, never its password.
  return line.replace(/(postgres(?:ql)?:\/\/)[^@\s]*@/gi, '$1');
}
