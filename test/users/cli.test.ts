import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenActor } from '../../src/users/token.service.js';
import { tokenCommand, userCommand } from '../../src/users/user.cli.js';
import { authenticate } from '../../src/users/user.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const run = promisify(execFile);

/** Runs the real `gazette` command (from source) against a test database. */
async function gazette(t: TestDb, args: string[]) {
  const env = {
    ...process.env,
    GAZETTE_DATA: t.dataDir,
    GAZETTE_SECRET: t.config.secret,
    DATABASE_URL: t.databaseUrl ?? '',
    LOG_LEVEL: 'silent',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(DIALECTS)('the user, token and commenter commands as processes on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('user add (given or generated password), token create and commenter erase', async () => {
    const article = await makeArticle(t.db);
    const now = new Date().toISOString();
    const commenter = await t.db
      .insertInto('commenters')
      .values({ email: 'gone@example.org', name: 'Gone', approved_count: 0, rejected_count: 0, created_at: now, last_seen_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('comments')
      .values({
        article_id: article.id,
        parent_id: null,
        root_id: null,
        depth: 0,
        commenter_id: commenter.id,
        name: 'Gone',
        body: 'Please forget me',
        body_hash: 'x',
        status: 'approved',
        reasons: '[]',
        spam_score: null,
        trained_as: null,
        ip_hash: null,
        source: 'api',
        open_reports: 0,
        reject_reason: null,
        created_at: now,
        moderated_at: null,
      })
      .execute();
    const commands = [
      ['user', 'add', '--email', 'Mod@Example.org', '--name', 'Mo Derator', '--role', 'moderator', '--password', 'a long enough password'],
      ['user', 'add', '--email', 'ed@example.org', '--name', 'Ed', '--role', 'editor'],
      ['token', 'create', '--name', 'Desk bot', '--role', 'moderator'],
      ['commenter', 'erase', 'GONE@example.org'],
    ];
    // Each process starts the whole program: side by side on PostgreSQL; one at a time on SQLite, whose single writer would make them wait.
    const results =
      dialect === 'postgres'
        ? await Promise.all(commands.map((c) => gazette(t, c)))
        : await commands.reduce(
            async (acc, c) => [...(await acc), await gazette(t, c)],
            Promise.resolve([] as Awaited<ReturnType<typeof gazette>>[]),
          );
    const [given, generated, token, erase] = results;
    expect(given.code, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout)).toEqual({ id: expect.any(Number), email: 'mod@example.org', role: 'moderator' });
    expect((await authenticate(t.db, 'mod@example.org', 'a long enough password')).role).toBe('moderator');

    expect(generated.code, generated.stderr).toBe(0);
    const { password } = JSON.parse(generated.stdout);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(generated.stderr).toContain('generated');
    expect((await authenticate(t.db, 'ed@example.org', password)).role).toBe('editor');

    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^gz_[\w-]{40,}$/);
    expect(await tokenActor(t.db, secret)).toMatchObject({ role: 'moderator', name: 'Desk bot' });
    const hashes = await t.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(hashes.some((r) => r.token_hash.includes(secret))).toBe(false);

    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout)).toEqual({ email: 'gone@example.org', deleted: 1, anonymised: 0 });
    expect(await t.db.selectFrom('comments').select('id').where('body', '=', 'Please forget me').executeTakeFirst()).toBeUndefined();
  });

  it('refuses bad input with a message and exit code 1', async () => {
    const quiet = { log: console.log, error: console.error };
    const errors: string[] = [];
    console.log = () => undefined;
    console.error = (m: string) => errors.push(String(m));
    try {
      await userCommand(t.db, ['add', '--email', 'dup@example.org', '--name', 'Dup', '--role', 'editor', '--password', 'long enough pw']);
      expect(await userCommand(t.db, ['add', '--email', 'dup@example.org', '--name', 'Dup', '--role', 'editor'])).toBe(1);
      expect(await userCommand(t.db, ['add', '--email', 'x@example.org', '--name', 'X', '--role', 'king'])).toBe(1);
      expect(await userCommand(t.db, ['add', '--email', 'x@example.org', '--name', 'X', '--role', 'admin', '--password', 'short'])).toBe(1);
      expect(await tokenCommand(t.db, ['create', '--name', 'x', '--role', 'nobody'])).toBe(1);
    } finally {
      Object.assign(console, quiet);
    }
    expect(errors.join('\n')).toMatch(/already exists[\s\S]*role[\s\S]*password[\s\S]*role/);
  });
});
