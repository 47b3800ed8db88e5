import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { loggerOptions, prettyFormatter, redactUrl } from '../../src/ops/log.format.js';
import { originOf, readyFields, readyMessage } from '../../src/ops/start.banner.js';
import { isWasiNotice, quietWasiWarning } from '../../src/ops/warnings.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { freePort, spawnServer } from '../hostile/hostile.helpers.js';

describe('LOG_FORMAT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-logformat-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is readable at a terminal and JSON otherwise, unless set; a wrong value names the variable', () => {
    expect(loadConfig({ GAZETTE_DATA: dir }, true).logFormat).toBe('pretty');
    expect(loadConfig({ GAZETTE_DATA: dir }, false).logFormat).toBe('json');
    expect(loadConfig({ GAZETTE_DATA: dir, LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ GAZETTE_DATA: dir, LOG_FORMAT: 'PRETTY' }, false).logFormat).toBe('pretty');
    expect(() => loadConfig({ GAZETTE_DATA: dir, LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    expect(() => loadConfig({ GAZETTE_DATA: dir, LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT');
  });
});

describe('readable log lines', () => {
  it('turns a request’s two JSON lines into one and keeps other fields as key=value', () => {
    const format = prettyFormatter();
    const time = Date.UTC(2026, 11, 6, 10, 30, 5);
    expect(format({ level: 30, time, reqId: 'r1', req: { method: 'GET', url: '/politics' }, msg: 'incoming request' })).toBeNull();
    const done = format({ level: 30, time, reqId: 'r1', res: { statusCode: 200 }, responseTime: 3.21, msg: 'request completed' });
    expect(done).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/politics 200 3\.2 ms\n$/);
    const other = format({ level: 40, time, pid: 1, hostname: 'h', msg: 'merging the search index failed', pages: 64, why: 'two words' });
    expect(other).toMatch(/WARN {2}merging the search index failed {2}pages=64 why="two words"\n$/);
    const failed = format({ level: 50, time, msg: 'scheduler failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    expect(failed).toContain('ERROR scheduler failed');
    expect(failed).toContain('\n    Error: boom');
    expect(format({ level: 30, time, role: 'primary', msg: 'worker 1 listening' })).toContain('[primary] worker 1 listening');
  });

  it('never writes a link’s secret into a request log line', () => {
    expect(redactUrl('/admin/setup?token=abc123&x=1')).toBe('/admin/setup?token=[redacted]&x=1');
    expect(redactUrl('/search?q=token')).toBe('/search?q=token');
    const serializer = loggerOptions({ logLevel: 'info', logFormat: 'json' }).serializers.req;
    expect(serializer({ method: 'GET', url: '/admin/setup?token=s3cret', ip: '127.0.0.1' }).url).toBe('/admin/setup?token=[redacted]');
    expect(loggerOptions({ logLevel: 'info', logFormat: 'json' })).not.toHaveProperty('stream');
    expect(loggerOptions({ logLevel: 'info', logFormat: 'pretty' })).toHaveProperty('stream');
  });
});

describe('the ready message', () => {
  it('names the site, the newsroom and, with no admin yet, the setup link and the command', () => {
    const text = readyMessage({ host: '127.0.0.1', port: 3000, setupToken: 'tok-en' });
    expect(text).toContain('http://127.0.0.1:3000/\n');
    expect(text).toContain('http://127.0.0.1:3000/admin\n');
    expect(text).toContain('http://127.0.0.1:3000/admin/setup?token=tok-en');
    expect(text).toContain('npx gazette user add --email');
    const later = readyMessage({ host: '0.0.0.0', port: 8080, setupToken: null, workers: 4 });
    expect(later).toContain('http://localhost:8080/admin/login');
    expect(later).toContain('4 server processes');
    expect(later).not.toContain('/admin/setup');
    expect(originOf('::1', 3000)).toBe('http://[::1]:3000');
    expect(readyFields({ host: 'news.local', port: 80, setupToken: null })).toEqual({
      url: 'http://news.local:80/',
      newsroom: 'http://news.local:80/admin',
    });
  });
});

describe('warnings', () => {
  it('drops only the experimental-WASI notice', async () => {
    quietWasiWarning();
    const seen: string[] = [];
    const listener = (w: Error) => seen.push(`${w.name}: ${w.message}`);
    // Node's own printing is set aside for the test (these warnings are made up).
    const printers = process.listeners('warning');
    process.removeAllListeners('warning');
    process.on('warning', listener);
    try {
      process.emitWarning('WASI is an experimental feature and might change at any time', 'ExperimentalWarning');
      process.emitWarning('Something else is experimental', 'ExperimentalWarning');
      process.emitWarning('A made-up deprecation', { type: 'DeprecationWarning', code: 'GZ_TEST' });
      await new Promise((r) => setImmediate(r));
      expect(seen).toEqual(['ExperimentalWarning: Something else is experimental', 'DeprecationWarning: A made-up deprecation']);
    } finally {
      process.off('warning', listener);
      for (const p of printers) process.on('warning', p);
    }
    expect(isWasiNotice(Object.assign(new Error('WASI is experimental'), { name: 'ExperimentalWarning' }), undefined)).toBe(true);
    expect(isWasiNotice('WASI is experimental', 'DeprecationWarning')).toBe(false);
  });
});

/** Output of a server process until `done` says it has what it needs (or the time is up). */
function collect(child: ChildProcess, done: (out: string, err: string) => boolean, ms: number) {
  let out = '';
  let err = '';
  return new Promise<{ out: string; err: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; stdout:\n${out}\nstderr:\n${err}`)), ms);
    const check = () => {
      if (done(out, err)) {
        clearTimeout(timer);
        resolve({ out, err });
      }
    };
    child.stdout?.on('data', (c) => {
      out += c;
      check();
    });
    child.stderr?.on('data', (c) => {
      err += c;
      check();
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited early; stdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

const SETUP_URL = /http:\/\/127\.0\.0\.1:\d+\/admin\/setup\?token=[\w-]+/g;

describe('gazette serve on an empty install (its own process)', () => {
  let t: TestDb;
  let firstLink = '';
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await t.destroy();
  });
  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    const child = spawnServer(t, port, { LOG_LEVEL: 'info', ...env }, ['ignore', 'pipe', 'pipe']);
    children.push(child);
    return child;
  };
  const stop = async (child: ChildProcess) => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };

  it('in a log file: JSON lines, the setup link once as a field, its secret never in a request line', async () => {
    const child = await start({});
    let ready: { setupUrl?: string; url?: string; newsroom?: string } = {};
    const { out } = await collect(
      child,
      (o) => {
        const line = o.split('\n').find((l) => l.includes('"msg":"ready"'));
        if (line) ready = JSON.parse(line);
        return line !== undefined;
      },
      60_000,
    );
    expect(ready.newsroom).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin$/);
    expect(ready.setupUrl).toMatch(SETUP_URL);
    const token = new URL(ready.setupUrl ?? '').searchParams.get('token') ?? '';
    firstLink = ready.setupUrl ?? '';
    const page = await fetch(firstLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Set up your newsroom');
    await new Promise((r) => setTimeout(r, 300));
    await stop(child);
    const lines = out.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.filter((l) => l.includes(token))).toHaveLength(1);
  }, 90_000);

  it('at a terminal with several processes (GAZETTE_WORKERS=2): readable lines, the ready message once, no WASI notice', async () => {
    const child = await start({ LOG_FORMAT: 'pretty', GAZETTE_WORKERS: '2' });
    const { out, err } = await collect(child, (o) => o.includes('Press Ctrl+C to stop.'), 90_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(out.match(/Gazette is ready/g)).toHaveLength(1);
    expect(out).toContain('npx gazette user add --email');
    expect(out).toMatch(/Newsroom: {2}http:\/\/127\.0\.0\.1:\d+\/admin\n/);
    expect(out).not.toMatch(/^\{"level"/m);
    const links = out.match(SETUP_URL) ?? [];
    expect(links).toHaveLength(1);
    const link = new URL(links[0] ?? '');
    // This start replaced the link the previous one printed.
    const earlier = new URL(firstLink);
    expect(link.searchParams.get('token')).not.toBe(earlier.searchParams.get('token'));
    expect((await fetch(`${link.origin}${earlier.pathname}${earlier.search}`)).status).toBe(403);
    // Connections go to the workers in turn: each must accept the link.
    for (let i = 0; i < 4; i++) {
      const res = await fetch(link, { headers: { connection: 'close' } });
      expect(res.status).toBe(200);
    }
    await stop(child);
    expect(err).not.toContain('ExperimentalWarning');
    expect(err).not.toContain('WASI');
  }, 120_000);
});
