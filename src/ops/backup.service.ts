import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Db } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

/** A request the database at hand cannot honour (PostgreSQL, a missing or foreign file). */
export class BackupError extends Error {}

export const PG_BACKUP_HINT = (file: string) =>
  `On PostgreSQL, back up with the server's own tool:\n  pg_dump --format=custom --file "${file}" "$DATABASE_URL"\n` +
  `and restore into an empty database with:\n  pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" "${file}"`;

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/**
 * Copies the live SQLite database to `file` with SQLite's online backup API: a consistent
 * snapshot taken while the site keeps serving and writing. The database only: media and
 * narration audio are files beside it, or objects in a shared bucket (`GAZETTE_S3_URL`) that are
 * kept with the bucket's own tools (docs/performance.md, "Backup and restore").
 */
export async function backupDatabase(conn: Db, file: string): Promise<BackupResult> {
  if (!conn.sqlite) throw new BackupError(PG_BACKUP_HINT(file));
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError(`${file} already exists: choose a new file name.`);
  const progress = await conn.sqlite.backup(target);
  return { file: target, bytes: statSync(target).size, pages: progress.totalPages };
}

/** Checks that a file is a sound Gazette SQLite database before anything is overwritten with it. */
export function inspectBackup(file: string): { articles: number } {
  if (!existsSync(file)) throw new BackupError(`${file}: no such file.`);
  let source: SQLite.Database;
  try {
    source = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new BackupError(`${file} is not a SQLite database.`);
  }
  try {
    const ok = source.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new BackupError(`${file} is damaged: ${String(ok)}`);
    const hasArticles = source.prepare("select 1 from sqlite_master where type = 'table' and name = 'articles'").get();
    if (!hasArticles) throw new BackupError(`${file} is not a Gazette database.`);
    const row = source.prepare('select count(*) as n from articles').get() as { n: number };
    return { articles: row.n };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a SQLite database.`);
  } finally {
    source.close();
  }
}

/**
 * Replaces the database's content with a backup, page by page through the backup API (so the
 * file stays consistent for any other connection), then brings its schema up to date.
 */
export async function restoreDatabase(conn: Db, file: string, opts: { dataDir: string; force?: boolean }): Promise<{ articles: number }> {
  if (!conn.sqlite) throw new BackupError(PG_BACKUP_HINT(file));
  const { articles } = inspectBackup(resolve(file));
  const current = conn.sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'articles'").get()
    ? (conn.sqlite.prepare('select count(*) as n from articles').get() as { n: number }).n
    : 0;
  if (current > 0 && !opts.force) {
    throw new BackupError(`The database already holds ${current} articles: add --force to replace them with the backup.`);
  }
  const source = new SQLite(resolve(file), { readonly: true });
  try {
    await source.backup(join(opts.dataDir, 'gazette.db'));
  } finally {
    source.close();
  }
  await migrate(conn.db);
  return { articles };
}
