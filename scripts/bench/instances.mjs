// Two `gazette serve` instances on one fresh PostgreSQL database, sharing Redis, behind Debian's
// Varnish configured with docs/varnish.vcl: a cached article through Varnish against the same
// article straight from an instance, and how long an edit takes to show through Varnish.
//   node scripts/bench/bench.mjs --only instances [--seconds N]
// PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); Redis: BENCH_REDIS_URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { gazette, startGazette } from './server.mjs';
import { freePort, which, wrk } from './tools.mjs';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const VCL = new URL('../../docs/varnish.vcl', import.meta.url);
const EDITS = 5;

async function admin(sql) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Debian's varnishd in the foreground with the shipped VCL pointed at these two ports. */
async function startVarnish(dir, ports, port) {
  const varnishd = await which('varnishd');
  mkdirSync(dir, { recursive: true });
  // varnishd reads the VCL as an unprivileged user: every folder on the way must be readable.
  for (const p of [dirname(dir), dir]) chmodSync(p, 0o755);
  const vcl = readFileSync(VCL, 'utf8').replace('"3001"', `"${ports[0]}"`).replace('"3002"', `"${ports[1]}"`);
  writeFileSync(join(dir, 'gazette.vcl'), vcl, { mode: 0o644 });
  const child = spawn(
    varnishd,
    ['-F', '-a', `127.0.0.1:${port}`, '-f', join(dir, 'gazette.vcl'), '-n', join(dir, 'work'), '-s', 'malloc,64m'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        url,
        async stop() {
          child.kill('SIGTERM');
          await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`varnishd did not start: ${stderr}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Edits the headline through instance A and polls Varnish (every 2 ms) until the page shows it; ms. */
async function purgeToVisible(base, varnish, token, article, n) {
  const headline = `Bench edit ${n} ${randomBytes(3).toString('hex')}`;
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/articles/${article.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ headline }),
  });
  if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const page = await (await fetch(varnish.url + article.path)).text();
    if (page.includes(headline)) return performance.now() - started;
    if (performance.now() - started > 10_000) throw new Error('the edit did not show through Varnish within 10 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The two-instance round; returns the figures, or undefined (with the reason logged) when a tool is missing. */
export async function instancesRound({ work, seconds, log }) {
  if (!(await which('varnishd'))) {
    log('instances: skipped (apt-get install -y varnish varnish-modules)');
    return undefined;
  }
  const name = `gazette_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const env = { DATABASE_URL: url.toString(), REDIS_URL };
  const data = join(work, 'instances-data');
  const running = [];
  try {
    log('instances: loading the demo newsroom into PostgreSQL');
    await gazette(data, ['demo'], env);
    // Narrated first, so background narration jobs do not run during the measurements.
    await gazette(data, ['narrate', '--all'], env).catch(() => log('instances: narration finished with errors'));
    const token = (await gazette(data, ['token', 'create', '--name', 'bench', '--role', 'editor'], env)).trim();
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query(
      `select a.id, a.slug, s.slug as section from articles a join sections s on s.id = a.section_id
       where a.status = 'published' order by a.published_at desc limit 1`,
    );
    await db.end();
    const article = { id: rows[0].id, path: `/${rows[0].section}/${rows[0].slug}` };
    const varnishPort = await freePort();
    const cdn = { ...env, GAZETTE_CDN_PURGE_URL: `http://127.0.0.1:${varnishPort}` };
    // One after the other: the first prepares the database.
    for (let i = 0; i < 2; i++) running.push(await startGazette(data, { path: article.path, env: cdn }));
    const ports = running.map((s) => Number(new URL(s.base).port));
    // The varnish port was chosen before the instances started: they purge it.
    const varnish = await startVarnish(join(work, 'varnish'), ports, varnishPort);
    running.push(varnish);
    for (let i = 0; i < 3; i++) await (await fetch(varnish.url + article.path)).arrayBuffer();
    log(`instances: ${article.path} through Varnish and straight from one instance, 50 connections, ${seconds} s each`);
    const throughVarnish = await wrk(varnish.url + article.path, { connections: 50, seconds, headers: { 'accept-encoding': 'br, gzip' } });
    const direct = await wrk(running[0].base + article.path, { connections: 50, seconds, headers: { 'accept-encoding': 'br, gzip' } });
    const visible = [];
    for (let n = 0; n < EDITS; n++) {
      // Cached everywhere first: in both instances' memory and in Varnish.
      for (const s of running.slice(0, 2)) await (await fetch(s.base + article.path)).arrayBuffer();
      await (await fetch(varnish.url + article.path)).arrayBuffer();
      visible.push(await purgeToVisible(running[0].base, varnish, token, article, n));
    }
    return { throughVarnish, direct, visible, visibleMedian: median(visible), visibleMax: Math.max(...visible) };
  } finally {
    for (const s of running.reverse()) await s.stop().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
}

export function printInstances(r, seconds) {
  const fmt = (n, d = 0) =>
    Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a';
  const out = ['', '### Two instances (PostgreSQL + Redis) behind Varnish', ''];
  out.push('| measure | value |', '| --- | --- |');
  out.push(
    `| cached article through Varnish, 50 connections, ${seconds} s: req/s (p99 ms) | ${fmt(r.throughVarnish.rps)} (${fmt(r.throughVarnish.p99, 2)}) |`,
  );
  out.push(`| same article straight from one instance: req/s (p99 ms) | ${fmt(r.direct.rps)} (${fmt(r.direct.p99, 2)}) |`);
  out.push(
    `| edit through one instance → visible through Varnish: median / max ms (of ${r.visible.length}) | ${fmt(r.visibleMedian, 1)} / ${fmt(r.visibleMax, 1)} |`,
  );
  return out.join('\n');
}
