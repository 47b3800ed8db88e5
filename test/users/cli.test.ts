import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenActor } from '../../src/users/token.service.js';
import { authenticate } from '../../src/users/user.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

const run = promisify(execFile);

/** Runs the real `gazette` command (from source) against a test database. */
async function gazette(t: TestDb, args: string[]) {
  const env = { ...process.env, GAZETTE_DATA: t.dataDir, GAZETTE_SECRET: t.config.secret, DATABASE_URL: t.databaseUrl ?? '', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(DIALECTS)('the user, token and commenter commands on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('adds a user with a given password, or prints a generated one once', async () => {
    const given = await gazette(t, ['user', 'add', '--email', 'Mod@Example.org', '--name', 'Mo Derator', '--role', 'moderator', '--password', 'a long enough password']);
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout)).toEqual({ id: expect.any(Number), email: 'mod@example.org', role: 'moderator' });
    expect((await authenticate(t.db, 'mod@example.org', 'a long enough password')).role).toBe('moderator');
    const generated = await gazette(t, ['user', 'add', '--email', 'ed@example.org', '--name', 'Ed', '--role', 'editor']);
    expect(generated.code).toBe(0);
    const { password } = JSON.parse(generated.stdout);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(generated.stderr).toContain('generated');
    expect((await authenticate(t.db, 'ed@example.org', password)).role).toBe('editor');
    const dup = await gazette(t, ['user', 'add', '--email', 'ed@example.org', '--name', 'Ed', '--role', 'editor']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const badRole = await gazette(t, ['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'king']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('role');
  });

  it('creates an API token, printed once and stored hashed', async () => {
    const res = await gazette(t, ['token', 'create', '--name', 'Desk bot', '--role', 'moderator']);
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    expect(token).toMatch(/^gz_[\w-]{40,}$/);
    expect(await tokenActor(t.db, token)).toMatchObject({ role: 'moderator', name: 'Desk bot' });
    const rows = await t.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect((await gazette(t, ['token', 'create', '--name', 'x', '--role', 'nobody'])).code).toBe(1);
  });

  it('erases a commenter by email', async () => {
    const missing = await gazette(t, ['commenter', 'erase', 'nobody@example.org']);
    expect(missing.code).toBe(1);
    expect((await gazette(t, ['commenter', 'erase'])).stderr).toContain('Usage');
  });
});
