import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteChannel } from '../../src/cache/purge.site.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, spawnServer, untilHealthy } from '../hostile/hostile.helpers.js';

/** The exit code of a process sent SIGTERM (null when it had to be killed after `ms`). */
async function terminate(child: ChildProcess, ms = 20_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code] = await exited;
  clearTimeout(timer);
  return code as number | null;
}

/** Polls `check` every 200 ms until it holds (generous: the instance retries Redis with back-off). */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(DIALECTS)('an instance started while Redis is down on %s', (dialect) => {
  let t: TestDb;
  let redisPort: number;
  let redisServer: ChildProcess | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await makeArticle(t.db, { headline: 'Served Without Redis', section: 'Politics' });
    redisPort = await freePort();
  });
  afterAll(async () => {
    for (const child of children) await terminate(child, 2000);
    if (redisServer) await terminate(redisServer, 2000);
    await t.destroy();
  });

  async function start(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
    const port = await freePort();
    // The events poller reads only once a minute here: only a Redis nudge can purge in time.
    const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, GAZETTE_PURGE_POLL_MS: '60000', LOG_LEVEL: 'warn' };
    const child = spawnServer(t, port, env, ['ignore', 'pipe', 'pipe']);
    children.push(child);
    let text = '';
    child.stdout?.on('data', (d) => (text += d));
    child.stderr?.on('data', (d) => (text += d));
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, 90_000);
    return { child, base, output: () => text };
  }

  it('listens, answers pages and ends at once on SIGTERM', async () => {
    const { child, base, output } = await start();
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Served Without Redis');
    expect(output()).not.toContain('cannot listen');
    expect(output()).toContain('Redis is unreachable');
    expect(await terminate(child)).toBe(0);
  }, 180_000);

  it('connects when Redis comes back and then takes nudges from other instances', async () => {
    const { child, base } = await start();
    const page = `${base}/`;
    await fetch(page);
    expect((await fetch(page)).headers.get('x-cache')).toBe('HIT');
    redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    const publisher = new Redis(`redis://127.0.0.1:${redisPort}`, { retryStrategy: () => 100 });
    publisher.on('error', () => undefined);
    await eventually(async () => publisher.status === 'ready', 10_000);
    // Written as another process would; only a nudge on this site's channel can make the instance read it soon.
    await makeArticle(t.db, { headline: 'Told After Redis Returned', section: 'Politics' });
    const channel = await siteChannel(t.db);
    await eventually(async () => {
      await publisher.publish(channel, 'another-instance:1');
      return (await (await fetch(page)).text()).includes('Told After Redis Returned');
    }, 20_000);
    publisher.disconnect();
    expect(await terminate(child)).toBe(0);
  }, 180_000);
});
