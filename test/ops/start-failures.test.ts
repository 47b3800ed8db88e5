import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_ADMIN_URL } from '../helpers/db.js';
import { freePort } from '../hostile/hostile.helpers.js';

/** `gazette serve` from the sources with `env`; resolves with its exit status and what it wrote to stderr. */
async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      GAZETTE_SECRET: 'test-secret-0123456789abcdef',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const [code] = await once(child, 'exit');
  clearTimeout(killer);
  return { code, stderr };
}

/** One line, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a start that cannot succeed ends with status 1 and one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-startfail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The tests run as root, for whom folder modes are no obstacle: sysfs refuses even root.
  it('a data folder that cannot be made', async () => {
    const { code, stderr } = await start({ GAZETTE_DATA: `/sys/gazette-${randomBytes(4).toString('hex')}`, DATABASE_URL: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cannot use the data folder: not permitted: \/sys\/gazette-/);
    expectOneLine(stderr);
  }, 60_000);

  it('a data folder where the database file cannot be written', async () => {
    const { code, stderr } = await start({ GAZETTE_DATA: '/sys/kernel', DATABASE_URL: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot use the data folder');
    expect(stderr).toContain('/sys/kernel');
    expectOneLine(stderr);
  }, 60_000);

  it('a DATABASE_URL nothing answers at: the address, never the password', async () => {
    const { code, stderr } = await start({ GAZETTE_DATA: dir, DATABASE_URL: 'postgres://gazette:hunter2secret@127.0.0.1:1/gazette' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cannot reach the database at 127\.0\.0\.1:1: connection refused/);
    expect(stderr).not.toContain('hunter2secret');
    expectOneLine(stderr);
  }, 60_000);

  it('a DATABASE_URL naming a database that does not exist, or a host that does not', async () => {
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/gazette_missing_${randomBytes(4).toString('hex')}`;
    url.password = 'hunter2secret';
    const missing = await start({ GAZETTE_DATA: dir, DATABASE_URL: url.toString() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cannot reach the database at 127\.0\.0\.1:5432: no such database/);
    expect(missing.stderr).not.toContain('hunter2secret');
    expectOneLine(missing.stderr);
    const nowhere = await start({ GAZETTE_DATA: dir, DATABASE_URL: 'postgres://u:hunter2secret@no-such-host.invalid:5432/db' });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^cannot reach the database at no-such-host\.invalid:5432: /);
    expect(nowhere.stderr).not.toContain('hunter2secret');
    expectOneLine(nowhere.stderr);
  }, 90_000);

  it('a wrong setting is a configuration error', async () => {
    const { code, stderr } = await start({ GAZETTE_DATA: dir, GAZETTE_ROLE: 'janitor' });
    expect(code).toBe(1);
    expect(stderr).toContain('configuration error: GAZETTE_ROLE must be "web", "worker" or "all", got "janitor"');
    expectOneLine(stderr);
  }, 60_000);
});
