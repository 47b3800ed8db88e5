import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupDatabase, inspectBackup, restoreDatabase } from '../../src/ops/backup.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const run = promisify(execFile);

const headlines = async (t: TestDb) =>
  (await t.db.selectFrom('articles').select('headline').orderBy('id').execute()).map((r) => r.headline);

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await makeArticle(t.db, { headline: 'Kept In The Backup' });
  });
  afterAll(() => t.destroy());

  if (dialect === 'postgres') {
    it('points to pg_dump and pg_restore instead', async () => {
      await expect(backupDatabase(t, join(t.dataDir, 'x.dump'))).rejects.toThrow(/pg_dump --format=custom/);
      await expect(restoreDatabase(t, join(t.dataDir, 'x.dump'), { dataDir: t.dataDir })).rejects.toThrow(/pg_restore/);
    });
    return;
  }

  it('round-trips: backup while open, change, restore, and the backup is what comes back', async () => {
    const file = join(t.dataDir, 'snapshot.db');
    const result = await backupDatabase(t, file);
    expect(result.bytes).toBeGreaterThan(0);
    expect(inspectBackup(file).articles).toBe(1);
    await makeArticle(t.db, { headline: 'Written After The Backup' });
    expect(await headlines(t)).toEqual(['Kept In The Backup', 'Written After The Backup']);
    await expect(restoreDatabase(t, file, { dataDir: t.dataDir })).rejects.toThrow(/--force/);
    await restoreDatabase(t, file, { dataDir: t.dataDir, force: true });
    expect(await headlines(t)).toEqual(['Kept In The Backup']);
    expect(t.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
    // The restored database keeps working for writes.
    await makeArticle(t.db, { headline: 'Written After The Restore' });
    expect((await headlines(t)).length).toBe(2);
  });

  it('refuses an existing target and a file that is not a Gazette database', async () => {
    const file = join(t.dataDir, 'twice.db');
    await backupDatabase(t, file);
    await expect(backupDatabase(t, file)).rejects.toBeInstanceOf(BackupError);
    expect(() => inspectBackup(join(t.dataDir, 'missing.db'))).toThrow(/no such file/);
    expect(() => inspectBackup(join(process.cwd(), 'package.json'))).toThrow(/not a SQLite database/);
  });

  it('works as the gazette command', async () => {
    const file = join(t.dataDir, 'from-cli.db');
    const env = { ...process.env, GAZETTE_DATA: t.dataDir, GAZETTE_SECRET: 'x'.repeat(32), DATABASE_URL: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'backup', file], { env, timeout: 60_000 });
    expect(JSON.parse(stdout).bytes).toBeGreaterThan(0);
    expect(inspectBackup(file).articles).toBeGreaterThan(0);
  });
});
