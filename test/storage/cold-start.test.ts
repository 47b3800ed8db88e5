import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const run = promisify(execFile);

describe('the S3 client at start', () => {
  let t: TestDb;
  let url: string;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    ({ url } = await makeArticle(t.db, { headline: 'Files stay local' }));
  });
  afterAll(() => t.destroy());

  // The child (shared with the start tests) builds the app from the environment, answers one page and lists the packages loaded.
  const loaded = async (env: NodeJS.ProcessEnv) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/ops/deferred.child.ts', url], {
      env: { ...process.env, GAZETTE_DATA: t.dataDir, DATABASE_URL: '', GAZETTE_SECRET: t.config.secret, LOG_LEVEL: 'error', ...env },
      timeout: 60_000,
    });
    return JSON.parse(stdout) as { status: number; packages: string[] };
  };

  it('is not loaded by a server keeping files in its data folder', async () => {
    const { status, packages } = await loaded({ GAZETTE_S3_URL: '', S3_BUCKET: '' });
    expect(status).toBe(200);
    expect(packages).toContain('fastify');
    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('is not loaded by a configured server until a file is asked for', async () => {
    const { status, packages } = await loaded({ GAZETTE_S3_URL: 'http://key:secret@127.0.0.1:9/gazette', S3_BUCKET: '' });
    expect(status).toBe(200);
    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });
});
