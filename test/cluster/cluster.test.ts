import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, makeToken, mergeCookies } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, spawnServer, untilHealthy } from '../hostile/hostile.helpers.js';

const WORKERS = 2;

function startCluster(t: TestDb, port: number): ChildProcess {
  return spawnServer(
    t,
    port,
    {
      GAZETTE_WORKERS: String(WORKERS),
      // Purges must reach the other worker by message, not by its next poll of the events table.
      GAZETTE_PURGE_POLL_MS: '600000',
      // The primary reports its workers at this level.
      LOG_LEVEL: 'info',
    },
    ['ignore', 'pipe', 'pipe'],
  );
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** What the primary reported (its JSON log lines on stdout and stderr): workers listening and exited, by pid. */
function primaryReports(server: ChildProcess): { listening: number[]; exited: number[] } {
  const reports = { listening: [] as number[], exited: [] as number[] };
  for (const stream of [server.stdout, server.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /"role":"primary","msg":"worker \d+ \(pid (\d+)\) (listening|exited)/.exec(line);
        if (m) reports[m[2] as 'listening' | 'exited'].push(Number(m[1]));
      }
    });
  }
  return reports;
}

/**
 * A POST on a new connection (so consecutive posts reach different workers): JSON for an object,
 * a form for a string.
 */
function post(port: number, path: string, body: object | string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const form = typeof body === 'string';
    const data = form ? body : JSON.stringify(body);
    const type = form ? 'application/x-www-form-urlencoded' : 'application/json';
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** A GET on a new connection each time, so the primary hands it to the next worker in turn. */
function fresh(port: number, path: string): Promise<{ status: number; cache: string; body: string; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cache: String(res.headers['x-cache'] ?? ''),
          body,
          cookies: res.headers['set-cookie'] ?? [],
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DIALECTS)('serving with several workers on %s', (dialect) => {
  let t: TestDb;
  let server: ChildProcess;
  let port: number;
  let url: string;
  let id: number;
  let reports: { listening: number[]; exited: number[] };
  beforeAll(async () => {
    t = await createTestDb(dialect);
    const a = await makeArticle(t.db, { headline: 'Harbour Bridge Reopens', section: 'Politics' });
    url = a.url;
    id = a.id;
    port = await freePort();
    server = startCluster(t, port);
    reports = primaryReports(server);
    await until(() => reports.listening.length === WORKERS, 120_000, 'every worker to listen');
    await untilHealthy(`http://127.0.0.1:${port}`, 30_000);
    expect(children(server.pid ?? 0).sort()).toEqual([...reports.listening].sort());
  }, 150_000);
  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await t.destroy();
  });

  it("keeps every worker's page cache fresh: a change answered by one is seen at once by all", { timeout: 60_000 }, async () => {
    // Warm both workers' caches.
    for (let i = 0; i < 6; i++) await fresh(port, url);
    const warm = await Promise.all([1, 2, 3, 4].map(() => fresh(port, url)));
    expect(warm.map((r) => r.cache)).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    const token = await makeToken(t.db, 'editor');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/articles/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ headline: 'Harbour Bridge Stays Shut' }),
    });
    expect(res.status).toBe(200);
    const after = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fresh(port, url)));
    for (const page of after) {
      expect(page.status).toBe(200);
      expect(page.body).toContain('Harbour Bridge Stays Shut');
      expect(page.body).not.toContain('Harbour Bridge Reopens');
    }
  });

  it('counts comment rate limits once for the machine, not once per worker', { timeout: 30_000 }, async () => {
    const path = `/api/v1/articles/${id}/comments`;
    const comment = (n: number) => ({ name: 'Ruth', email: 'ruth@example.org', body: `Comment number ${n} about the bridge.` });
    expect(await post(port, path, comment(1))).toBe(202);
    // The next posts land on the other worker in turn: each must see the first one's hit.
    expect(await post(port, path, comment(2))).toBe(429);
    expect(await post(port, path, comment(3))).toBe(429);
  });

  it('counts login attempts once for the machine, not once per worker', { timeout: 60_000 }, async () => {
    const page = await fresh(port, '/admin/login');
    const cookie = mergeCookies('', page.cookies);
    const form = new URLSearchParams({ email: 'nobody@example.org', password: 'not the password', _csrf: csrfFrom(page.body) }).toString();
    const attempt = () => post(port, '/admin/login', form, { cookie });
    // Ten failed logins, handed to the two workers in turn: five each.
    const failed: number[] = [];
    for (let i = 0; i < 10; i++) failed.push(await attempt());
    expect(failed).toEqual(Array(10).fill(401));
    // The eleventh is refused whichever worker takes it, though neither has seen ten by itself.
    expect(await attempt()).toBe(429);
    expect(await attempt()).toBe(429);
  });

  it('replaces a worker that dies and keeps answering meanwhile', { timeout: 90_000 }, async () => {
    const before = children(server.pid ?? 0);
    expect(before).toHaveLength(WORKERS);
    process.kill(before[1], 'SIGKILL');
    // Once the primary has seen the death (a connection handed over in that very instant is lost
    // with the worker), the remaining worker answers everything while the replacement starts.
    await until(() => reports.exited.includes(before[1]), 10_000, 'the primary to see the worker die');
    for (let i = 0; i < 10; i++) expect((await fresh(port, url)).status, `request ${i}`).toBe(200);
    await until(() => reports.listening.length === WORKERS + 1, 60_000, 'a new worker to listen');
    const now = children(server.pid ?? 0);
    expect(now).toHaveLength(WORKERS);
    expect(now).not.toContain(before[1]);
    expect(now).toContain(reports.listening[WORKERS]);
    const answers = await Promise.all([1, 2, 3, 4].map(() => fresh(port, url)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('stops every worker and exits cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const workers = children(server.pid ?? 0);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
