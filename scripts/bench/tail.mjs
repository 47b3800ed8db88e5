// The long tail and the cold start: what a page nobody asked for yet costs the server, and how
// long a fresh process takes to answer its first article. CPU is read from /proc/PID/stat (user +
// system time of every thread of the server, the compression threads included), so work moved
// off the event loop is still counted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { gazetteEnv, SERVER_NODE_FLAGS } from './server.mjs';
import { freePort } from './tools.mjs';

/** What a browser sends. */
export const BROWSER_ENCODINGS = 'gzip, deflate, br';
const TICK_MS = 1000 / 100; // CLK_TCK is 100 on Linux

/** CPU time (user + system) the process has used so far, in ms. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** One GET on a new connection; resolves with the status, headers and body bytes. */
export function get(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { agent: false, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks).length }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Published article paths, in random order. */
export function articlePaths(dataDir, limit) {
  const db = new Database(`${dataDir}/gazette.db`, { readonly: true });
  try {
    return db
      .prepare(
        "select '/' || s.slug || '/' || a.slug as path from articles a join sections s on s.id = a.section_id where a.status = 'published' order by random() limit ?",
      )
      .all(limit)
      .map((r) => r.path);
  } finally {
    db.close();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns `node BIN serve` and polls (every 2 ms) until `path` answers 200. Returns the time from
 * spawn to the first answer of any kind (listening) and to that first 200, and the process.
 */
export async function spawnServer(bin, dataDir, { path = '/', env = {} } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, bin, 'serve'], {
    env: gazetteEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  let listeningMs;
  let firstMs;
  while (firstMs === undefined) {
    if (child.exitCode !== null) throw new Error(`gazette serve exited: ${stderr}`);
    if (performance.now() - started > 60_000) throw new Error(`gazette serve did not answer: ${stderr}`);
    try {
      const res = await get(base, path);
      listeningMs ??= performance.now() - started;
      if (res.status === 200) firstMs = performance.now() - started;
    } catch {
      await sleep(2);
    }
  }
  return {
    base,
    pid: child.pid,
    listeningMs,
    firstMs,
    peakRssMb: () => peakRssMb(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}

/** Spawn to first 200 of an article, `runs` times (each a fresh process on the same data). */
export async function coldStart(bin, dataDir, path, runs = 3) {
  const listening = [];
  const first = [];
  for (let i = 0; i < runs; i++) {
    const server = await spawnServer(bin, dataDir, { path });
    listening.push(server.listeningMs);
    first.push(server.firstMs);
    await server.stop();
  }
  return { listening: spread(listening), first: spread(first) };
}

function spread(values) {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], n: s.length };
}

/** Waits until the server has been idle (no CPU used) for a while: the front pages it renders at start are done. */
async function settle(pid) {
  let last = cpuMs(pid);
  let quiet = 0;
  for (let i = 0; i < 200 && quiet < 3; i++) {
    await sleep(150);
    const now = cpuMs(pid);
    quiet = now - last <= TICK_MS ? quiet + 1 : 0;
    last = now;
  }
}

/** Requests each path once, one at a time: server CPU per request (ms) and client latency. */
export async function cpuPerRequest(server, paths, headers = { 'accept-encoding': BROWSER_ENCODINGS }) {
  await settle(server.pid);
  const latencies = [];
  const before = cpuMs(server.pid);
  const t0 = performance.now();
  let errors = 0;
  let cache = '';
  for (const path of paths) {
    const t = performance.now();
    const res = await get(server.base, path, headers);
    latencies.push(performance.now() - t);
    if (res.status !== 200) errors++;
    cache ||= String(res.headers['x-cache'] ?? '');
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(server.pid) - before;
  const s = [...latencies].sort((a, b) => a - b);
  return {
    n: paths.length,
    cpuMsPerRequest: cpu / paths.length,
    wallMsPerRequest: wall / paths.length,
    p50: s[Math.floor(s.length / 2)],
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))],
    errors,
    cache,
  };
}

/** Many distinct pages from `connections` clients at once: peak RSS of the server afterwards. */
export async function manyDistinct(server, paths, connections = 8) {
  let next = 0;
  let errors = 0;
  const before = cpuMs(server.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < paths.length) {
        const path = paths[next++];
        const res = await get(server.base, path, { 'accept-encoding': BROWSER_ENCODINGS });
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    n: paths.length,
    connections,
    perSecond: paths.length / seconds,
    cpuMsPerRequest: (cpuMs(server.pid) - before) / paths.length,
    peakRssMb: server.peakRssMb(),
    errors,
  };
}

/**
 * The tail measures on one build: a fresh server asked for `tail` articles it never saw (cache on,
 * browser encodings), the same again (hits), the same articles from a fresh server with the cache
 * off (the render alone), and `distinct` other articles from 8 connections (peak memory).
 */
export async function tailRound(bin, dataDir, { tail = 200, distinct = 1500 } = {}) {
  const paths = articlePaths(dataDir, tail + distinct);
  const once = paths.slice(0, tail);
  const rest = paths.slice(tail);
  const result = {};
  let server = await spawnServer(bin, dataDir, { path: once[0] });
  result.firstRender = await cpuPerRequest(server, once.slice(1));
  result.hit = await cpuPerRequest(server, once.slice(1));
  await server.stop();

  server = await spawnServer(bin, dataDir, { path: once[0], env: { GAZETTE_PAGE_CACHE: 'off' } });
  result.renderOnly = await cpuPerRequest(server, once.slice(1));
  await server.stop();

  if (rest.length) {
    server = await spawnServer(bin, dataDir, { path: once[0] });
    result.distinct = await manyDistinct(server, rest);
    await server.stop();
  }
  return result;
}
