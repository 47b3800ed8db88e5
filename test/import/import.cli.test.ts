import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

// Each test starts `gazette` as a process (TypeScript compiled on the fly): slow on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GHOST = fileURLToPath(new URL('../fixtures/import/ghost/', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const withoutNodeWarnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l && !/^\(node:\d+\) \w*Warning|--trace-warnings/.test(l))
    .join('\n');

describe.each(DIALECTS)('gazette import (a real process) on %s', (dialect) => {
  let t: TestDb;

  function gazette(...args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = { ...process.env, GAZETTE_DATA: t.dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    if (t.databaseUrl) env.DATABASE_URL = t.databaseUrl;
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr: withoutNodeWarnings(stderr) });
      });
    });
  }

  const articles = async () =>
    Number(
      (
        await t.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('--dry-run prints the report and writes nothing; then the import runs; --json prints it as JSON', async () => {
    const dry = await gazette('ghost', join(GHOST, 'harbour-v5.json'), '--media', join(GHOST, 'media'), '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run of a Ghost import: nothing was written.');
    expect(dry.stdout).toContain('Posts     4 to import');
    expect(dry.stdout).toContain('gone.jpg');
    expect(await articles()).toBe(0);

    const run = await gazette('ghost', join(GHOST, 'harbour-v5.json'), '--media', join(GHOST, 'media'), '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.counts.post.imported).toBe(4);
    expect(report.counts.page.imported).toBe(1);
    expect(await articles()).toBe(5);
  });

  it('bad input: exit 1 with one clear line, nothing written', async () => {
    const before = await articles();
    const old = await gazette('ghost', join(GHOST, 'old-v3.json'));
    expect(old.code).toBe(1);
    expect(old.stderr.trim().split('\n')).toHaveLength(1);
    expect(old.stderr).toContain('db[0].meta.version: Ghost 3.42.0 exports are not supported');
    const missing = await gazette('ghost', join(GHOST, 'nowhere.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.json: file: cannot read the file');
    const usage = await gazette('drupal', 'x.xml');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage: gazette import wordpress|ghost FILE');
    const pages = await gazette('ghost', join(GHOST, 'harbour-v5.json'), '--pages', 'maybe');
    expect(pages.code).toBe(1);
    expect(pages.stderr).toContain('--pages is "section" or "skip"');
    expect(await articles()).toBe(before);
  });
});
