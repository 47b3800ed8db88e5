#!/usr/bin/env node
// The busy moment: readers keep asking for a cached article while an editor publishes a
// 1,000-word article and the server narrates it. Starts `gazette serve` on the demo newsroom,
// measures the cached article with wrk at 50 and 200 connections while nothing else runs, then
// again while a freshly published article is narrated (one new article per wrk run), beside nginx
// (with a worker per core, and with one worker: the same number of processes as the Gazette measured)
// serving the same bytes. The server's event-loop delay is sampled inside it (loop.probe.mjs).
// Then, at 200 connections, three rounds with the servers on core 0 and wrk on the other cores.
//   node scripts/bench/busy.mjs [--seconds 10] [--no-build] [--data DIR]
// `npm run bench -- --busy` runs it too, on the benchmark's demo data.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { gazette, startGazette } from './server.mjs';
import { median, pinProcess, startNginx, which, wrk } from './tools.mjs';

const ARTICLE = 'council-approves-budget-after-late-night-session';
/** What this benchmark measured before the narration's CPU work left the serving thread. */
const EARLIER = { idleP99: '~20', narratingP99: '~600' };
const CONNECTIONS = [50, 200];
/** Rounds of the pinned comparison (nginx, one nginx worker, gazette idle, gazette narrating). */
const PINNED_ROUNDS = 3;

const log = (...a) => console.error('·', ...a);
const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readonly(data, fn) {
  const db = new Database(join(data, 'gazette.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** About 1,000 words of demo paragraphs, each with a sentence of its own (nothing comes from the paragraph cache). */
function thousandWords(data, take) {
  const rows = readonly(data, (db) => db.prepare("select body_md from articles where status = 'published' order by id").all());
  const paragraphs = rows.flatMap((r) => r.body_md.split(/\n\n+/).filter((p) => p && !p.startsWith('#')));
  const body = [];
  let words = 0;
  for (const p of paragraphs) {
    if (words >= 1000) break;
    body.push(`${p} This is paragraph ${body.length + 1} of take ${take}.`);
    words += p.split(/\s+/).length + 7;
  }
  return { body: body.join('\n\n'), words };
}

function narrationStatus(data, id) {
  return readonly(data, (db) => db.prepare('select status from narrations where article_id = ?').get(id)?.status ?? 'none');
}

/** The server's event-loop delay over [from, to], from quarter-second samples. */
function loopDelay(file, from, to) {
  if (!existsSync(file)) return { maxMs: Number.NaN, p99Ms: Number.NaN };
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.t > from + 250 && l.t <= to + 250);
  const p99s = lines.map((l) => l.p99Ms).sort((a, b) => a - b);
  // The longest stall, and the typical quarter-second's p99 (the median of theirs).
  return { maxMs: Math.max(...lines.map((l) => l.maxMs)), p99Ms: p99s[Math.floor(p99s.length / 2)] };
}

/**
 * Runs the busy moment on a data folder holding the demo newsroom (its narrations done or its
 * queued jobs removed, so that nothing runs in the background before the measurement starts).
 */
export async function busyMoment({ data, seconds = 10, work }) {
  const loopFile = join(work, `loop-${Date.now()}.jsonl`);
  const probe = pathToFileURL(fileURLToPath(new URL('./loop.probe.mjs', import.meta.url))).href;
  const token = (await gazette(data, ['token', 'create', '--name', `busy-${Date.now()}`, '--role', 'editor'])).trim();
  const path = readonly(
    data,
    (db) =>
      db
        .prepare("select '/' || s.slug || '/' || a.slug as path from articles a join sections s on s.id = a.section_id where a.slug = ?")
        .get(ARTICLE)?.path,
  );
  const server = await startGazette(data, {
    path,
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim(), BENCH_LOOP_FILE: loopFile },
  });
  const url = server.base + path;
  const page = Buffer.from(await (await fetch(url)).arrayBuffer());
  const nginx = await startNginx(join(work, 'nginx-busy'), page);
  // One nginx worker too: the same number of processes as the Gazette measured here.
  const nginxOne = await startNginx(join(work, 'nginx-busy-one'), page, { workers: 1 });
  // Let the start-up work (front pages rendered ahead, statistics) finish first.
  await sleep(5000);
  const result = {
    idle: {},
    narrating: {},
    nginx: {},
    nginxOne: {},
    loop: { idle: {}, narrating: {}, publish: {} },
    narration: [],
    pinned: undefined,
  };
  let takes = 0;
  /** Publishes a new 1,000-word article and measures the cached article with wrk while it is narrated. */
  const whileNarrating = async (c, wrkOptions = {}) => {
    const take = `${Date.now()}-${takes++}`;
    const { body, words } = thousandWords(data, take);
    const started = Date.now();
    const res = await fetch(`${server.base}/api/v1/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        headline: `A thousand words for the busy moment, take ${take}`,
        standfirst: 'Published while readers arrive.',
        section: 'politics',
        authors: ['James Thompson'],
        body,
        status: 'published',
      }),
    });
    if (res.status !== 201) throw new Error(`publishing failed: ${res.status} ${await res.text()}`);
    const { id } = await res.json();
    const publishedAt = Date.now();
    log(`busy moment: c=${c} gazette while article ${id} (${words} words) is narrated`);
    const measured = await wrk(url, { connections: c, seconds, ...wrkOptions });
    const loop = loopDelay(loopFile, publishedAt, Date.now());
    const publish = { ...loopDelay(loopFile, started - 250, publishedAt), ms: publishedAt - started };
    const during = narrationStatus(data, id);
    let status = during;
    while (!['ready', 'failed'].includes(status) && Date.now() - started < 300_000) {
      await sleep(500);
      status = narrationStatus(data, id);
    }
    const narration = { id, words, connections: c, statusAfterWrk: during, status, readyAfterS: (Date.now() - started) / 1000 };
    return { measured, loop, publish, narration };
  };
  try {
    for (const c of CONNECTIONS) {
      log(`busy moment: c=${c} nginx, then gazette with nothing else running`);
      result.nginx[c] = await wrk(nginx.url, { connections: c, seconds });
      result.nginxOne[c] = await wrk(nginxOne.url, { connections: c, seconds });
      const from = Date.now();
      result.idle[c] = await wrk(url, { connections: c, seconds });
      result.loop.idle[c] = loopDelay(loopFile, from, Date.now());
    }
    for (const c of CONNECTIONS) {
      const r = await whileNarrating(c);
      result.narrating[c] = r.measured;
      result.loop.narrating[c] = r.loop;
      result.loop.publish[c] = r.publish;
      result.narration.push(r.narration);
    }
    // The same at 200 connections with the servers on the first core and wrk on the others, as
    // readers on other machines would be: wrk then takes no CPU from the server or its narration.
    const pinnedAll =
      cpus().length >= 2 &&
      (await which('taskset')) &&
      (await Promise.all([server.pid, nginx.pid, nginxOne.pid].map((p) => pinProcess(p, '0')))
        .then(() => true)
        .catch((e) => log(`cannot keep the servers on one core (${e.message.split('\n')[0]}): no pinned round`)));
    if (pinnedAll) {
      const last = String(cpus().length - 1);
      const client = cpus().length > 2 ? `1-${last}` : '1';
      const c = CONNECTIONS[CONNECTIONS.length - 1];
      const pinned = { client, connections: c, nginx: [], nginxOne: [], idle: [], narrating: [] };
      for (let round = 0; round < PINNED_ROUNDS; round++) {
        log(`busy moment, servers on core 0 and wrk on ${client}: round ${round + 1} of ${PINNED_ROUNDS}`);
        pinned.nginx.push(await wrk(nginx.url, { connections: c, seconds, cpus: client }));
        pinned.nginxOne.push(await wrk(nginxOne.url, { connections: c, seconds, cpus: client }));
        pinned.idle.push(await wrk(url, { connections: c, seconds, cpus: client }));
        const r = await whileNarrating(c, { cpus: client });
        pinned.narrating.push(r.measured);
        result.narration.push({ ...r.narration, pinned: true });
      }
      result.pinned = pinned;
    }
  } finally {
    await nginx.stop();
    await nginxOne.stop();
    await server.stop();
  }
  return result;
}

/** The pinned rounds: each round's p99s, and the median ratio of Gazette narrating to nginx. */
function printPinned(p, seconds) {
  const out = [];
  const row = (...cells) => out.push(`| ${cells.join(' | ')} |`);
  const c = p.connections;
  /** The median of one figure over the rounds of one server. */
  const mid = (runs, key = 'p99') => median(runs.map((run) => run[key]));
  out.push(`### ${c} connections, servers on core 0, wrk on core ${p.client} (wrk ${seconds} s per run, rounds in turn)`);
  out.push('');
  row(
    'round',
    'nginx p99 ms',
    'nginx, one worker: p99 ms',
    'gazette idle p99 ms',
    'gazette narrating p99 ms',
    'narrating / nginx',
    'errors',
  );
  row('---', '---', '---', '---', '---', '---', '---');
  p.narrating.forEach((n, i) => {
    row(
      i + 1,
      fmt(p.nginx[i].p99, 2),
      fmt(p.nginxOne[i].p99, 2),
      fmt(p.idle[i].p99, 2),
      fmt(n.p99, 2),
      `${fmt(n.p99 / p.nginx[i].p99, 2)}×`,
      `${p.idle[i].errors} / ${n.errors}`,
    );
  });
  const ratio = median(p.narrating.map((n, i) => n.p99 / p.nginx[i].p99));
  row('median', fmt(mid(p.nginx), 2), fmt(mid(p.nginxOne), 2), fmt(mid(p.idle), 2), fmt(mid(p.narrating), 2), `${fmt(ratio, 2)}×`, '');
  out.push('');
  out.push(
    `requests/s, median: nginx ${fmt(mid(p.nginx, 'rps'), 0)}, gazette idle ${fmt(mid(p.idle, 'rps'), 0)}, narrating ${fmt(mid(p.narrating, 'rps'), 0)} (c=${c})`,
  );
  return out.join('\n');
}

export function printBusy(r, seconds) {
  const out = [];
  const row = (...cells) => out.push(`| ${cells.join(' | ')} |`);
  out.push(`### The busy moment (wrk ${seconds} s per run, one process, cached article)`);
  out.push('');
  row(
    'connections',
    'p99 idle ms',
    'p99 while narrating ms',
    'nginx p99 ms',
    'narrating / nginx',
    'nginx, one worker: p99 ms',
    'errors idle / narrating',
    'event loop max / p99 ms, idle',
    'event loop max / p99 ms, narrating',
  );
  row('---', '---', '---', '---', '---', '---', '---', '---', '---');
  for (const c of Object.keys(r.idle)) {
    const i = r.idle[c];
    const n = r.narrating[c];
    const li = r.loop.idle[c];
    const ln = r.loop.narrating[c];
    row(
      c,
      fmt(i.p99, 2),
      n ? fmt(n.p99, 2) : 'n/a',
      fmt(r.nginx[c].p99, 2),
      n ? `${fmt(n.p99 / r.nginx[c].p99, 2)}×` : '',
      r.nginxOne[c] ? fmt(r.nginxOne[c].p99, 2) : 'n/a',
      `${i.errors} / ${n?.errors ?? 'n/a'}`,
      `${fmt(li.maxMs)} / ${fmt(li.p99Ms)}`,
      ln ? `${fmt(ln.maxMs)} / ${fmt(ln.p99Ms)}` : 'n/a',
    );
  }
  out.push('');
  for (const [c, p] of Object.entries(r.loop.publish)) {
    out.push(`publishing before the c=${c} run: the request took ${fmt(p.ms, 0)} ms; event loop max ${fmt(p.maxMs)} ms meanwhile`);
  }
  for (const n of r.narration) {
    out.push(
      `narration of article ${n.id} (${n.words} words) during the c=${n.connections}${n.pinned ? ' pinned' : ''} run: ${n.statusAfterWrk} when wrk ended, ${n.status} ${fmt(n.readyAfterS)} s after publishing`,
    );
  }
  out.push(
    `earlier (narration's CPU work on the serving thread): p99 ${EARLIER.idleP99} ms idle, ${EARLIER.narratingP99} ms while narrating, 50 connections`,
  );
  if (r.pinned) out.push('', printPinned(r.pinned, seconds));
  return out.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, 'no-build': { type: 'boolean', default: false }, data: { type: 'string' } },
  });
  const seconds = Number(values.seconds);
  if (!(await which('wrk'))) {
    console.error('The benchmark needs wrk: apt-get install -y wrk nginx-light');
    process.exit(1);
  }
  if (!values['no-build']) {
    log('building');
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const work = mkdtempSync(join(tmpdir(), 'gazette-busy-'));
  try {
    let data = values.data;
    if (!data) {
      data = join(work, 'data');
      log('loading the demo newsroom');
      await gazette(data, ['demo']);
      // The demo's own narrations would run in the background of every measurement: not queued here.
      const db = new Database(join(data, 'gazette.db'));
      db.prepare("delete from jobs where status = 'queued'").run();
      db.close();
    }
    const before = loadavg();
    const result = await busyMoment({ data, seconds, work });
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average before: ${before.map((l) => l.toFixed(2)).join(' ')}`,
    );
    console.log(printBusy(result, seconds));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
