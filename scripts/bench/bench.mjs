#!/usr/bin/env node
// `npm run bench`: figures, not a timed test. Builds, loads the demo newsroom into a fresh data
// folder, starts `gazette serve` as its own process, and drives it and nginx (serving the same
// bytes as a static file) with wrk from this process. Then the same at --scale N articles.
// The cached page is measured twice: one process, and GAZETTE_WORKERS=--workers (one per core).
//   node scripts/bench/bench.mjs [--scale 100000] [--seconds 10] [--workers N] [--no-build] [--json FILE]
//     [--only cached,tail,start,busy,instances,client] [--tail-pages 2500] [--baseline OTHER/bin/gazette.js]
// `--only instances`: two instances on PostgreSQL + Redis behind Varnish (instances.mjs).
// `--only client`: the main-thread work of the article and front pages in Chromium at a phone's CPU (client.mjs).
// `--only import`: a generated WordPress export imported with `gazette import wordpress` (import.mjs; --import-posts N).
// `--only newsletter`: one issue sent to --subscribers confirmed subscribers through a local SMTP sink (newsletter.mjs).
// `--only beacons`: analytics beacons aimed at --beacon-rate a second (default 5,500, so that about 5,000 arrive from
// connections that each wait for their answer) while a cached article is read; SQLite, then PostgreSQL (beacons.mjs).
// `--only tail,start` measures just the long tail (first renders of never-seen articles, CPU per
// request) and the cold start, on the demo data plus 3,000 generated articles: a few minutes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beaconBench, printBeacons } from './beacons.mjs';
import { busyMoment, printBusy } from './busy.mjs';
import { clientCost, printClient } from './client.mjs';
import { importBench, printImport } from './import.mjs';
import { instancesRound, printInstances } from './instances.mjs';
import { newsletterBench, printNewsletter } from './newsletter.mjs';
import { probeWeight, sequential } from './probe.mjs';
import { gazette, startGazette } from './server.mjs';
import { articlePaths, coldStart, tailRound } from './tail.mjs';
import { startNginx, warmEveryWorker, which, wrk } from './tools.mjs';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: String(cpus().length) },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string', default: 'cached,tail,start,instances,import,newsletter,beacons' },
    'tail-pages': { type: 'string', default: '2500' },
    baseline: { type: 'string' },
    'import-posts': { type: 'string', default: '5000' },
    subscribers: { type: 'string', default: '20000' },
    'beacon-rate': { type: 'string', default: '5500' },
  },
});
const ONLY = new Set(values.only.split(',').map((s) => s.trim()));
const TAIL_PAGES = Number(values['tail-pages']);
const BIN = new URL('../../bin/gazette.js', import.meta.url).pathname;
/** Articles generated for the tail when the cached rounds do not generate --scale. */
const TAIL_SCALE = 3000;
/** The figures measured before first stores were compressed quickly and start work was deferred. */
const EARLIER = { firstRenderCpuMs: '73–105', coldStartS: '3–7', peakRssMb: '275–311' };
const SECONDS = Number(values.seconds);
const SCALE = Number(values.scale);
const WORKERS = Math.max(1, Number(values.workers) || 1);
const CONNECTIONS = [1, 50, 200];
const SEARCHES = [
  'council budget',
  'harbor',
  'election ballot',
  'marathon record',
  'fusion magnet',
  'tariffs',
  'quake alert',
  'opera',
  'seagrass bay',
  'river dam talks',
];

const log = (...a) => console.error('·', ...a);
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

if ((ONLY.has('cached') || ONLY.has('instances')) && !(await which('wrk'))) {
  console.error('The benchmark needs wrk: apt-get install -y wrk nginx-light');
  process.exit(1);
}
if (!values['no-build']) {
  log('building');
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const work = mkdtempSync(join(tmpdir(), 'gazette-bench-'));
const data = join(work, 'data');

function target(dataDir) {
  const db = new Database(join(dataDir, 'gazette.db'), { readonly: true });
  try {
    const pick = (where) =>
      db
        .prepare(
          `select a.id, a.slug, s.slug as section from articles a join sections s on s.id = a.section_id where a.status = 'published' ${where} order by a.published_at desc limit 1`,
        )
        .get();
    const article = pick("and a.slug = 'council-approves-budget-after-late-night-session'") ?? pick('');
    const author = db
      .prepare('select p.slug from people p join article_authors aa on aa.person_id = p.id group by p.id order by count(*) desc limit 1')
      .get();
    const tag = db
      .prepare('select t.slug from tags t join article_tags at on at.tag_id = t.id group by t.id order by count(*) desc limit 1')
      .get();
    const sectionCount = db
      .prepare("select count(*) as n from articles a join sections s on s.id = a.section_id where s.slug = ? and a.status = 'published'")
      .get(article.section).n;
    // The last page of the section as its "Older stories" links reach it: before the last article of the page above.
    const pages = Math.ceil(sectionCount / 20);
    const above =
      pages > 1
        ? db
            .prepare(
              "select a.published_at, a.id from articles a join sections s on s.id = a.section_id where s.slug = ? and a.status = 'published' order by a.published_at desc, a.id desc limit 1 offset ?",
            )
            .get(article.section, (pages - 1) * 20 - 1)
        : undefined;
    const articles = db.prepare("select count(*) as n from articles where status = 'published'").get().n;
    // An article of the generated archive (its words are the archive's own, common ones included).
    const archive = db
      .prepare(
        "select a.slug, s.slug as section from articles a join sections s on s.id = a.section_id where a.status = 'published' and a.slug like 'scale-%' order by a.id desc limit 1",
      )
      .get();
    // Articles a reader reaches from search or an old link: each rendered once, nothing of it kept yet.
    const once = db
      .prepare(
        "select '/' || s.slug || '/' || a.slug as path from articles a join sections s on s.id = a.section_id where a.status = 'published' order by random() limit 200",
      )
      .all()
      .map((r) => r.path);
    return {
      id: article.id,
      once,
      path: `/${article.section}/${article.slug}`,
      section: `/${article.section}`,
      lastPage: above ? `/${article.section}?before=${above.published_at}_${above.id}` : `/${article.section}`,
      author: author ? `/author/${author.slug}` : undefined,
      tag: tag ? `/tag/${tag.slug}` : undefined,
      archive: archive ? `/${archive.section}/${archive.slug}` : undefined,
      articles,
    };
  } finally {
    db.close();
  }
}

async function round(label, { full }) {
  const t = target(data);
  log(`${label}: ${t.articles} published articles; article ${t.path}`);
  const result = { label, articles: t.articles, cached: {}, workers: {}, nginx: {}, uncached: {}, pages: {} };

  // Cached: the page cache on, as `gazette serve` runs by default.
  let server = await startGazette(data, { path: t.path });
  result.coldStartMs = server.coldStartMs;
  const page = Buffer.from(await (await fetch(server.base + t.path)).arrayBuffer());
  const nginx = await startNginx(join(work, `nginx-${label.replace(/\W+/g, '-')}`), page);
  for (const c of full ? CONNECTIONS : [50]) {
    log(`${label}: wrk c=${c} gazette / nginx`);
    result.cached[c] = await wrk(server.base + t.path, { connections: c, seconds: SECONDS });
    result.nginx[c] = await wrk(nginx.url, { connections: c, seconds: SECONDS });
  }
  await nginx.stop();
  result.pageBytes = page.length;
  result.pageBytesBr = brotliCompressSync(page).length;
  if (full) result.weight = await probeWeight(server.base, t.path);
  log(`${label}: comment submissions`);
  result.comments = await postComments(server.base, t.id);
  result.peakRss = server.peakRss();
  await server.stop();

  // Cached with a worker per core: the same page through GAZETTE_WORKERS.
  if (WORKERS > 1) {
    server = await startGazette(data, { path: t.path, env: { GAZETTE_WORKERS: String(WORKERS) } });
    await warmEveryWorker(server.base + t.path);
    for (const c of full ? CONNECTIONS : [50]) {
      log(`${label}: wrk c=${c} gazette with ${WORKERS} workers`);
      result.workers[c] = await wrk(server.base + t.path, { connections: c, seconds: SECONDS });
    }
    result.workersRss = server.peakRss();
    await server.stop();
  }

  // Uncached: the same build with the page cache off, one request at a time (server time from Server-Timing).
  server = await startGazette(data, { path: t.path, env: { GAZETTE_PAGE_CACHE: 'off' } });
  const named = {
    article: t.path,
    'article of the archive': t.archive,
    section: t.section,
    'section, last page': t.lastPage,
    author: t.author,
    tag: t.tag,
    home: '/',
    'sitemap index': '/sitemap.xml',
  };
  for (const [name, path] of Object.entries(named)) {
    if (path) result.pages[name] = await sequential(server.base, [path], 200);
  }
  result.pages[`${t.once.length} articles, each rendered once`] = await sequential(server.base, t.once, 1);
  result.uncached = await wrk(server.base + t.path, { connections: 50, seconds: SECONDS });
  log(`${label}: search`);
  result.search = await sequential(
    server.base,
    SEARCHES.map((q) => `/search?q=${encodeURIComponent(q)}`),
    10,
  );
  result.peakRss.maxMb = Math.max(result.peakRss.maxMb, server.peakRss().maxMb);
  await server.stop();
  return result;
}

/** JSON comment submissions from 10 connections, each from its own address and commenter: accepted per second. */
async function postComments(base, articleId) {
  process.env.BENCH_COMMENT_PATH = `/api/v1/articles/${articleId}/comments`;
  const script = new URL('./comments.lua', import.meta.url).pathname;
  const before = countComments();
  const posted = await wrk(base + process.env.BENCH_COMMENT_PATH, { connections: 10, seconds: SECONDS, script });
  const stored = countComments() - before;
  return { ...posted, stored, accepted: posted.requests - posted.errors, perSecond: (posted.requests - posted.errors) / SECONDS };
}

function countComments() {
  const db = new Database(join(data, 'gazette.db'), { readonly: true });
  try {
    return db.prepare('select count(*) as n from comments').get().n;
  } catch {
    return Number.NaN;
  } finally {
    db.close();
  }
}

function print(results, scaleSeconds) {
  const out = [];
  const row = (...cells) => out.push(`| ${cells.join(' | ')} |`);
  out.push(`Gazette benchmark — ${new Date().toISOString()}`);
  out.push(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GB RAM, Node ${process.version}, load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  out.push(`wrk ${SECONDS}s per run, 2 threads (1 at c=1), loopback; nginx worker_processes auto, same bytes as a static file`);
  out.push(
    `"one process": GAZETTE_WORKERS unset; "${WORKERS} workers": GAZETTE_WORKERS=${WORKERS} (a primary and ${WORKERS} server processes)`,
  );
  out.push('');
  for (const r of results) {
    out.push(`### ${r.label} (${fmt(r.articles)} articles)`);
    out.push('');
    row('measure', 'Gazette', 'nginx', 'Gazette / nginx');
    row('---', '---', '---', '---');
    for (const c of Object.keys(r.cached)) {
      const g = r.cached[c];
      const n = r.nginx[c];
      row(`cached article, one process, ${c} conn: req/s`, fmt(g.rps), fmt(n.rps), `${fmt(g.rps / n.rps, 2)}×`);
      row(
        `cached article, one process, ${c} conn: p50 / p99 ms`,
        `${fmt(g.p50, 2)} / ${fmt(g.p99, 2)}`,
        `${fmt(n.p50, 2)} / ${fmt(n.p99, 2)}`,
        g.errors || n.errors ? `errors ${g.errors}/${n.errors}` : '',
      );
    }
    for (const c of Object.keys(r.workers)) {
      const g = r.workers[c];
      const n = r.nginx[c];
      row(`cached article, ${WORKERS} workers, ${c} conn: req/s`, fmt(g.rps), fmt(n.rps), `${fmt(g.rps / n.rps, 2)}×`);
      row(
        `cached article, ${WORKERS} workers, ${c} conn: p50 / p99 ms`,
        `${fmt(g.p50, 2)} / ${fmt(g.p99, 2)}`,
        `${fmt(n.p50, 2)} / ${fmt(n.p99, 2)}`,
        g.errors ? `errors ${g.errors}` : '',
      );
    }
    out.push('');
    row('measure', 'value');
    row('---', '---');
    for (const [name, p] of Object.entries(r.pages)) {
      row(`uncached ${name}: server render p50 / p99 ms`, `${fmt(p.server.p50, 2)} / ${fmt(p.server.p99, 2)}`);
    }
    row('uncached article, 50 conn: req/s (p99 ms)', `${fmt(r.uncached.rps)} (${fmt(r.uncached.p99, 1)})`);
    row('search: latency p50 / p99 ms (client)', `${fmt(r.search.client.p50, 2)} / ${fmt(r.search.client.p99, 2)}`);
    if (r.comments) {
      row(
        'comment submissions (JSON API, 10 conn): accepted/s',
        `${fmt(r.comments.perSecond)} (p99 ${fmt(r.comments.p99, 1)} ms; refused ${r.comments.errors}; stored ${r.comments.stored})`,
      );
    }
    row('peak RSS of the server (one process)', `${fmt(r.peakRss.maxMb)} MB`);
    if (r.workersRss)
      row(
        `peak RSS with ${WORKERS} workers: largest process / all ${r.workersRss.processes}`,
        `${fmt(r.workersRss.maxMb)} / ${fmt(r.workersRss.totalMb)} MB`,
      );
    row('cold start to first 200', `${fmt(r.coldStartMs)} ms`);
    row('article page: HTML bytes (br)', `${fmt(r.pageBytes)} (${fmt(r.pageBytesBr)})`);
    if (r.weight)
      row('article page weight, br: HTML + CSS + JS', `${fmt(r.weight.html)} + ${fmt(r.weight.css)} + ${fmt(r.weight.js)} bytes`);
    out.push('');
  }
  if (scaleSeconds !== undefined) out.push(`gazette demo --scale ${SCALE}: ${fmt(scaleSeconds, 1)} s`);
  return out.join('\n');
}

/** The tail and the cold start of this build and, with --baseline, of another build on the same data. */
async function tailAndStart() {
  const builds = { 'this build': BIN };
  if (values.baseline) builds.baseline = values.baseline;
  const out = {};
  const article = articlePaths(data, 1)[0];
  for (const [name, bin] of Object.entries(builds)) {
    out[name] = {};
    if (ONLY.has('tail') && name !== 'this build') {
      log(`${name}: first renders of never-seen articles, then ${TAIL_PAGES} distinct articles from 8 connections`);
      out[name].tail = await tailRound(bin, data, { tail: 200, distinct: TAIL_PAGES });
    }
    if (ONLY.has('start')) {
      log(`${name}: cold start, 3 runs`);
      out[name].start = await coldStart(bin, data, article, 3);
    }
    if (ONLY.has('tail') && name === 'this build') {
      log(`${name}: first renders of never-seen articles, then ${TAIL_PAGES} distinct articles from 8 connections`);
      out[name].tail = await tailRound(bin, data, { tail: 200, distinct: TAIL_PAGES });
    }
  }
  return out;
}

function printTail(tail) {
  const names = Object.keys(tail);
  const out = [];
  const row = (...cells) => out.push(`| ${cells.join(' | ')} |`);
  out.push('');
  out.push('### Long tail and cold start');
  out.push('');
  out.push('CPU of the server process from /proc/PID/stat (user + system, every thread); one request at a time unless said.');
  out.push('');
  row('measure', ...names, ...(names.length > 1 ? ['this / baseline'] : []), 'earlier figure');
  row('---', ...names.map(() => '---'), ...(names.length > 1 ? ['---'] : []), '---');
  const line = (label, pick, digits, earlier = '') => {
    const values = names.map((n) => pick(tail[n]));
    const ratio = names.length > 1 ? [`${fmt(values[0] / values[1], 2)}×`] : [];
    row(label, ...values.map((v) => fmt(v, digits)), ...ratio, earlier);
  };
  if (tail[names[0]].tail) {
    line(
      'first render of a never-seen article, br: CPU ms / request',
      (t) => t.tail.firstRender.cpuMsPerRequest,
      2,
      `${EARLIER.firstRenderCpuMs} ms`,
    );
    line('same article, cache off (the render alone): CPU ms / request', (t) => t.tail.renderOnly.cpuMsPerRequest, 2);
    line('first render minus the render alone: CPU ms', (t) => t.tail.firstRender.cpuMsPerRequest - t.tail.renderOnly.cpuMsPerRequest, 2);
    line('cached hit of the same articles: CPU ms / request', (t) => t.tail.hit.cpuMsPerRequest, 2);
    line('first render: client latency p50 ms', (t) => t.tail.firstRender.p50, 2);
    line(`${TAIL_PAGES} distinct articles, 8 connections: pages/s`, (t) => t.tail.distinct?.perSecond, 0);
    line(`${TAIL_PAGES} distinct articles, 8 connections: CPU ms / request`, (t) => t.tail.distinct?.cpuMsPerRequest, 2);
    line(`${TAIL_PAGES} distinct articles, 8 connections: peak RSS MB`, (t) => t.tail.distinct?.peakRssMb, 0, `${EARLIER.peakRssMb} MB`);
  }
  if (tail[names[0]].start) {
    line('spawn to listening: median ms (of 3)', (t) => t.start.listening.median, 0);
    line('spawn to first 200 of an article: median ms (of 3)', (t) => t.start.first.median, 0, `${EARLIER.coldStartS} s`);
    row(
      'spawn to first 200: min–max ms',
      ...names.map((n) => `${fmt(tail[n].start.first.min)}–${fmt(tail[n].start.first.max)}`),
      ...(names.length > 1 ? [''] : []),
      '',
    );
  }
  return out.join('\n');
}

/** The demo's longest published article: the most text, a Listen player and comments. */
function longestArticle(dataDir) {
  const db = new Database(`${dataDir}/gazette.db`, { readonly: true });
  try {
    return db
      .prepare(
        "select '/' || s.slug || '/' || a.slug as path from articles a join sections s on s.id = a.section_id where a.status = 'published' order by a.word_count desc limit 1",
      )
      .get().path;
  } finally {
    db.close();
  }
}

try {
  // The two-instance round has a PostgreSQL database of its own; every other part uses this one.
  // The import, newsletter and beacon rounds make their own data.
  if ([...ONLY].some((part) => !['instances', 'import', 'newsletter', 'beacons'].includes(part))) {
    log('loading the demo newsroom');
    await gazette(data, ['demo']);
    // Narrate the demo articles first, so the background narration jobs do not run during the measurements.
    log('narrating the demo articles');
    await gazette(data, ['narrate', '--all']).catch(() =>
      log('narration finished with errors: the server may retry some in the background'),
    );
  }
  const results = ONLY.has('cached') ? [await round('demo data', { full: true })] : [];
  // --only …,busy: readers at a cached article while a 1,000-word article is published and narrated (busy.mjs).
  const busy = ONLY.has('busy') ? await busyMoment({ data, seconds: SECONDS, work }) : undefined;
  if (busy) console.log(printBusy(busy, SECONDS));
  const client = ONLY.has('client') ? await clientCost({ data, paths: [longestArticle(data), '/'], log }) : undefined;
  if (client) console.log(printClient(client));
  const instances = ONLY.has('instances') ? await instancesRound({ work, seconds: SECONDS, log }) : undefined;
  if (instances) console.log(printInstances(instances, SECONDS));
  let scaleSeconds;
  if (SCALE > 0 && ONLY.has('cached')) {
    log(`generating ${SCALE} articles`);
    const started = performance.now();
    await gazette(data, ['demo', '--scale', String(SCALE)]);
    scaleSeconds = (performance.now() - started) / 1000;
    results.push(await round(`scale ${SCALE}`, { full: false }));
  }
  const table = ONLY.has('cached') ? print(results, scaleSeconds) : '';
  if (table) console.log(table);
  let tail;
  if (ONLY.has('tail') || ONLY.has('start')) {
    if (!ONLY.has('cached') || SCALE === 0) {
      log(`generating ${TAIL_SCALE} articles for the tail`);
      await gazette(data, ['demo', '--scale', String(TAIL_SCALE)]);
    }
    tail = await tailAndStart();
    console.log(printTail(tail));
  }
  const imported = ONLY.has('import') ? await importBench({ posts: Number(values['import-posts']), comments: 10, log }) : undefined;
  if (imported) printImport(imported);
  const newsletter = ONLY.has('newsletter') ? await newsletterBench({ subscribers: Number(values.subscribers), log }) : undefined;
  if (newsletter) printNewsletter(newsletter);
  const beacons = ONLY.has('beacons') ? await beaconBench({ rate: Number(values['beacon-rate']), seconds: SECONDS, log }) : undefined;
  if (beacons) console.log(printBeacons(beacons));
  // The same on PostgreSQL: one server process, then two (each flushing its own buffer into the same rows).
  const beaconsPg = [];
  for (const processes of ONLY.has('beacons') ? [1, 2] : []) {
    beaconsPg.push(await beaconBench({ rate: Number(values['beacon-rate']), seconds: SECONDS, log, postgres: true, processes }));
  }
  for (const round of beaconsPg) console.log(printBeacons(round));
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify(
        { results, scaleSeconds, tail, busy, instances, client, imported, newsletter, beacons, beaconsPg },
        (k, v) => (k === 'raw' ? undefined : v),
        2,
      ),
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
