import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type * as Pg from 'pg';
import { lazy } from '../lazy.js';

/** The advisory lock's key: a fixed number no other part of Gazette uses ("gaze" in ASCII). */
const PG_LOCK_KEY = 0x67617a65;
/** How often the SQLite lock file's holder shows it is still alive, and when a silent holder counts as gone. */
const FILE_TOUCH_MS = 2_000;
const FILE_STALE_MS = 30_000;
const FILE_POLL_MS = 100;

const pgModule = lazy<typeof Pg>('pg');

export interface LockTarget {
  databaseUrl?: string;
  dataDir: string;
}

/**
 * Runs `fn` while this instance alone prepares the shared database (migrations, the demo
 * newsroom, the first-admin link): an instance started at the same moment waits here, then finds
 * the work done. PostgreSQL: a transaction's advisory lock on a connection of its own (outside the
 * pool, so `fn` may use every pooled connection); it goes with the connection if the process dies.
 * SQLite (one file on one machine): a lock file next to the database, taken over when its holder
 * has stopped touching it.
 */
export async function withStartLock<T>(target: LockTarget, fn: () => Promise<T>): Promise<T> {
  if (target.databaseUrl) return withAdvisoryLock(target.databaseUrl, fn);
  return withLockFile(join(target.dataDir, 'start.lock'), fn);
}

async function withAdvisoryLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new (pgModule().Client)({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  // A connection lost while held ends the lock with it; the error comes back from the query or is dropped here.
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Held by an open transaction (so also through PgBouncer in transaction mode), ended by its commit.
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [PG_LOCK_KEY]);
    return await fn();
  } finally {
    await client.query('commit').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function withLockFile<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await takeLockFile(file);
  const touch = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // Removed by an instance that took it for stale: nothing more to do here.
    }
  }, FILE_TOUCH_MS);
  touch.unref();
  try {
    return await fn();
  } finally {
    clearInterval(touch);
    releaseLockFile(file);
  }
}

const holder = () => `${process.pid}@${hostname()}`;

async function takeLockFile(file: string): Promise<void> {
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, holder());
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(file)) {
      try {
        unlinkSync(file);
      } catch {
        // Another waiter removed it first.
      }
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, FILE_POLL_MS));
  }
}

/** A lock file whose holder is gone: its process no longer runs here, or it has not been touched for a while. */
function isStale(file: string): boolean {
  try {
    const [pid, host] = readFileSync(file, 'utf8').split('@');
    if (host === hostname() && Number(pid) > 0 && !alive(Number(pid))) return true;
    return Date.now() - statSync(file).mtimeMs > FILE_STALE_MS;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLockFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8') === holder()) unlinkSync(file);
  } catch {
    // Already gone.
  }
}
