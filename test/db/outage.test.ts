import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, PG_ADMIN_URL, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, spawnServer, untilHealthy } from '../hostile/hostile.helpers.js';

/** A TCP relay to PostgreSQL that the test can take away (every connection cut, new ones refused) and bring back. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      // A side that ends or is reset takes the other with it, as a database that goes away does:
      // a reset (PostgreSQL closing with a query unread) emits no 'end', which pipe() alone would
      // not pass on, leaving the server waiting for an answer on a connection nobody serves.
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** Every request of this test gives up after 10 s: a request held while the database is away is a failure, not a hang. */
const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(10_000) });

async function health(base: string): Promise<{ status: number; body: { status?: string; reason?: string } }> {
  const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json() };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let value = await probe().catch(() => undefined as T);
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe().catch(() => undefined as T);
  }
  return value;
}

/** Ends every backend of database `name` from the server side, as a restart does; resolves with how many. */
async function endEveryBackend(admin: pg.Client, name: string): Promise<number> {
  const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
    name,
  ]);
  return ended.rowCount ?? 0;
}

describe('a server whose PostgreSQL restarts or goes away', () => {
  let t: TestDb;
  let relay: Relay;
  let child: ChildProcess;
  let base: string;
  let slug: string;
  let exited = false;
  const searchStatus = (word: string) => get(`${base}/search?q=${word}${Math.random()}`).then((r) => r.status);
  const dbName = () => new URL(t.databaseUrl ?? '').pathname.slice(1);
  /** The status of a search once one answers 200, or the last one seen within 10 s. */
  const untilSearchAnswers = (word: string) =>
    eventually(
      () => searchStatus(word),
      (s) => s === 200,
      10_000,
    );

  beforeAll(async () => {
    t = await createTestDb('postgres');
    slug = (await makeArticle(t.db, { headline: 'Read while the database is away' })).slug;
    const url = new URL(t.databaseUrl ?? '');
    relay = new Relay(await freePort(), { host: url.hostname, port: Number(url.port || 5432) });
    await relay.up();
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawnServer(t, port, { DATABASE_URL: url.toString() });
    child.on('exit', () => {
      exited = true;
    });
    await untilHealthy(base, 60_000);
  }, 90_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await relay?.down();
    await t?.destroy();
  });

  it('survives every connection being ended (a restart): the next queries reconnect', async () => {
    // Fill the pool and hold connections in use, then end them all from the server side.
    await Promise.all([1, 2, 3, 4].map(() => get(`${base}/search?q=database${Math.random()}`)));
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    const ended = await endEveryBackend(admin, dbName()).finally(() => admin.end());
    expect(ended).toBeGreaterThan(0);
    expect(await untilSearchAnswers('after')).toBe(200);
    expect(exited).toBe(false);
    expect((await health(base)).status).toBe(200);
  }, 30_000);

  it('ends connections at random moments of requests: each request gets an answer, none hangs; then all is well', async () => {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    const answers: (number | string)[] = [];
    const ask = () => searchStatus('midway').catch((e: Error) => e.name);
    try {
      for (let round = 0; round < 25; round++) {
        const asked = [ask(), ask(), ask(), ask()];
        await new Promise((r) => setTimeout(r, Math.random() * 20));
        await endEveryBackend(admin, dbName());
        answers.push(...(await Promise.all(asked)), await ask());
      }
    } finally {
      await admin.end();
    }
    // A query cut short answers 500 (the next one reconnects); a request left waiting would be a TimeoutError.
    expect(answers.filter((a) => a !== 200 && a !== 500)).toEqual([]);
    expect(answers).toContain(200);
    expect(await untilSearchAnswers('settled')).toBe(200);
    expect(exited).toBe(false);
  }, 60_000);

  it('while unreachable: stays up, /healthz says 503 and why, cached pages are still served; then recovers', async () => {
    const page = `${base}/politics/${slug}`;
    expect((await get(page)).status).toBe(200);
    expect((await get(page)).status).toBe(200);
    await relay.down();
    const down = await eventually(
      () => health(base),
      (h) => h?.status === 503,
      10_000,
    );
    expect(down).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database unreachable' } });
    const cached = await get(page);
    expect(cached.status).toBe(200);
    expect(await cached.text()).toContain('Read while the database is away');
    // A page that needs the database fails cleanly (no crash); the process is still there.
    const fresh = await get(`${base}/search?q=outage${Math.random()}`);
    expect(fresh.status).toBeGreaterThanOrEqual(500);
    expect(exited).toBe(false);

    await relay.up();
    const back = await eventually(
      () => health(base),
      (h) => h?.status === 200,
      15_000,
    );
    expect(back.status).toBe(200);
    expect(await untilSearchAnswers('back')).toBe(200);
    expect(exited).toBe(false);
  }, 120_000);
});
