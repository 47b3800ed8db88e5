// Starts the production build (`node bin/gazette.js serve`) as a separate process and watches it.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { childPids, freePort } from './tools.mjs';

const run = promisify(execFile);
const BIN = new URL('../../bin/gazette.js', import.meta.url).pathname;
/** How `npx gazette` (bin/gazette.js's first line) and `npm start` run Node: the young generation bounded from the start. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];

export function gazetteEnv(dataDir, extra = {}) {
  return {
    ...process.env,
    GAZETTE_DATA: dataDir,
    GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    // One address asks for thousands of never-seen pages: no per-client render limit.
    GAZETTE_RENDER_LIMIT: 'off',
    // As `npm start` and the cluster's workers run (see the performance guide, memory).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    ...extra,
  };
}

/** Runs a gazette command to completion (demo, demo --scale, token create…); returns stdout. */
export async function gazette(dataDir, args, extra = {}) {
  const { stdout } = await run(process.execPath, [BIN, ...args], {
    env: gazetteEnv(dataDir, extra),
    maxBuffer: 16 << 20,
    timeout: 3_600_000,
  });
  return stdout;
}

/** kB → MB from /proc (VmHWM: the peak resident set of the process so far). */
function procStatus(pid, field) {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The server's processes: the one started and, with GAZETTE_WORKERS, its workers (not narration hosts). */
function serverPids(pid) {
  const isServer = (p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('gazette.js');
    } catch {
      return false;
    }
  };
  return [pid, ...childPids(pid).filter(isServer)];
}

/**
 * Starts the server and waits for the first 200 of `path`; returns the cold start (spawn to
 * first 200, in ms), the base URL, peak RSS, and stop().
 */
export async function startGazette(dataDir, { path = '/', env = {} } = {}) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, BIN, 'serve'], {
    env: gazetteEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', GAZETTE_TRUST_PROXY: 'on', ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  let coldStartMs;
  // With several workers, the first 200 can come before the last worker listens: wait for all.
  const workers = Number(env.GAZETTE_WORKERS ?? 1) || 1;
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`gazette serve exited: ${stderr}`);
    try {
      const res = await fetch(base + path);
      await res.arrayBuffer();
      if (res.status === 200) {
        coldStartMs ??= performance.now() - started;
        if (serverPids(child.pid).length >= (workers > 1 ? workers + 1 : 1)) {
          // The last worker forked; give it time to listen.
          if (workers > 1) await new Promise((r) => setTimeout(r, 3000));
          break;
        }
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 5));
  }
  if (coldStartMs === undefined) throw new Error(`gazette serve did not answer: ${stderr}`);
  return {
    base,
    coldStartMs,
    pid: child.pid,
    /** Peak resident memory (VmHWM): of the largest process, and summed over the server's processes. */
    peakRss: () => {
      const peaks = serverPids(child.pid).map((p) => procStatus(p, 'VmHWM'));
      return { maxMb: Math.max(...peaks), totalMb: peaks.reduce((a, b) => a + b, 0), processes: peaks.length };
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}
