// Load generators and the nginx baseline for the benchmark: wrk (Debian) drives both servers
// with the same settings; nginx serves the saved page bytes as a static file.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function which(cmd) {
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
    try {
      await run('test', ['-x', join(dir, cmd)]);
      return join(dir, cmd);
    } catch {}
  }
  return undefined;
}

/** Milliseconds from wrk's "1.23ms" / "456.00us" / "1.02s". */
function ms(text) {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/**
 * Requests `url` `times` times, each on a new connection: with several workers, the cluster
 * primary hands connections out in turn, so every worker renders and caches the page once.
 */
export async function warmEveryWorker(url, times = 20) {
  for (let i = 0; i < times; i++) {
    await new Promise((resolve, reject) => {
      get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  }
}

/** The middle value (the mean of the two middle ones for an even count), ignoring NaN. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The processes a process started, by any of its threads (from /proc); none once it is gone. */
export function childPids(pid) {
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {}
  return tasks.flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** A process and every process it started, deepest last. */
const processTree = (pid) => [pid, ...childPids(pid).flatMap(processTree)];

/**
 * Keeps a process, its threads and every process it started (and will start: children inherit
 * it) on the given CPUs, as `taskset` does. For measuring a server on cores of its own while the
 * load generator runs on the others, as it would on another machine.
 */
export async function pinProcess(pid, cpuList) {
  for (const p of processTree(pid)) await run('taskset', ['-a', '-p', '-c', cpuList, String(p)]);
}

/**
 * Runs wrk and returns req/s, p50/p99 in ms, errors (socket errors + non-2xx/3xx). With `cpus`
 * (a list such as "1"), wrk runs on those CPUs only.
 */
export async function wrk(url, { connections, seconds, script, headers = {}, cpus }) {
  const threads = Math.min(2, connections);
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (script) args.push('-s', script);
  args.push(url);
  const { stdout } = cpus
    ? await run('taskset', ['-c', cpus, 'wrk', ...args], { maxBuffer: 1 << 20 })
    : await run('wrk', args, { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 'NaN');
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
  return { rps, p50, p99, errors: non2xx + socketErrors, requests, raw: stdout };
}

/**
 * Starts Debian's nginx on a loopback port serving `bytes` at /page.html with `workers` worker
 * processes (`auto`: one per core); returns { url, stop }.
 */
export async function startNginx(dir, bytes, { contentType = 'text/html; charset=utf-8', workers = 'auto' } = {}) {
  const nginx = await which('nginx');
  if (!nginx) throw new Error('nginx is not installed (apt-get install -y nginx-light)');
  const port = await freePort();
  const root = join(dir, 'www');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'page.html'), bytes);
  // nginx workers run as an unprivileged user: every folder on the way must be readable.
  for (const p of [dirname(dir), dir, root]) chmodSync(p, 0o755);
  chmodSync(join(root, 'page.html'), 0o644);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes ${workers};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = /page.html { default_type "${contentType}"; etag on; }
  }
}
`,
  );
  const child = spawn(nginx, ['-c', conf, '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/page.html`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
