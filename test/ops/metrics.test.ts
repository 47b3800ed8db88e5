import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { pageCacheConfig } from '../../src/cache/cache.config.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { enqueueJob } from '../../src/jobs/job.repo.js';
import { createJobRunner, PermanentJobError } from '../../src/jobs/job.runner.js';
import { serveWorkerMetrics } from '../../src/ops/metrics.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const run = promisify(execFile);
const TOKEN = 'a-scraper-token-0123456789';

/** One sample of the Prometheus text format: `name{label="value",…} number`. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/;

/**
 * Parses the text format strictly: every line is a comment or a sample; samples keyed by `name{labels}`.
 * NaN in any case, as Prometheus reads it (prom-client writes `Nan` for an empty event-loop window).
 */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not the text format: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

async function listening(app: FastifyInstance): Promise<{ site: string; metrics: string }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const site = app.server.address();
  const metrics = app.metrics?.address();
  if (typeof site !== 'object' || !site || !metrics) throw new Error('not listening');
  return { site: `http://127.0.0.1:${site.port}`, metrics: `http://127.0.0.1:${metrics.port}/metrics` };
}

describe('metrics configuration', () => {
  const env = { GAZETTE_DATA: '/tmp/gazette-metrics-config', GAZETTE_SECRET: 'x'.repeat(32) };
  it('is off unless GAZETTE_METRICS=on, on its own loopback address by default', () => {
    expect(loadConfig(env).metrics).toBeUndefined();
    expect(loadConfig({ ...env, GAZETTE_METRICS: 'on' }).metrics).toEqual({ host: '127.0.0.1', port: 9464, token: undefined });
    expect(loadConfig({ ...env, GAZETTE_METRICS: 'on', GAZETTE_METRICS_ADDR: '[::1]:9100', GAZETTE_METRICS_TOKEN: TOKEN }).metrics).toEqual(
      {
        host: '::1',
        port: 9100,
        token: TOKEN,
      },
    );
  });
  it('refuses an address without a port, a name instead of an address, and a short token', () => {
    for (const addr of ['127.0.0.1', 'localhost:9464', '127.0.0.1:70000']) {
      expect(() => loadConfig({ ...env, GAZETTE_METRICS: 'on', GAZETTE_METRICS_ADDR: addr })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ ...env, GAZETTE_METRICS: 'on', GAZETTE_METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(() => loadConfig({ ...env, GAZETTE_METRICS: 'maybe' })).toThrow(/GAZETTE_METRICS/);
  });
});

describe.each(DIALECTS)('metrics on %s', (dialect) => {
  let t: TestDb;
  let url: string;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ({ url } = await makeArticle(t.db, { headline: 'Counted story' }));
  }, 60_000);
  afterAll(() => t.destroy());

  const build = (metrics?: { token?: string }) =>
    buildApp({
      db: t.db,
      dialect: t.dialect,
      config: { ...t.config, metrics: metrics && { host: '127.0.0.1', port: 0, token: metrics.token } },
      cache: pageCacheConfig({}),
      logger: false,
    });

  it('off by default: no listener and no /metrics on the public port', async () => {
    const app = await build();
    try {
      const site = await app.listen({ port: 0, host: '127.0.0.1' });
      expect(app.metrics).toBeUndefined();
      expect((await fetch(`${site}/metrics`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('on: counts requests by route pattern, page-cache hits, and the jobs table', async () => {
    const app = await build({});
    try {
      const { site, metrics } = await listening(app);
      // The public port still does not serve them.
      expect((await fetch(`${site}/metrics`)).status).toBe(404);
      const scrape = async () => {
        const res = await fetch(metrics);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return parse(await res.text());
      };
      const route = 'gazette_http_requests_total{method="GET",route="/:section/:slug",status="2xx"}';
      const hits = 'gazette_page_cache_hits_total';
      const before = await scrape();
      const first = await fetch(`${site}${url}`);
      expect(first.status).toBe(200);
      await first.text();
      const rendered = await scrape();
      expect((rendered.get(route) ?? 0) - (before.get(route) ?? 0)).toBe(1);
      expect(rendered.get('gazette_page_cache_misses_total')).toBeGreaterThan(before.get('gazette_page_cache_misses_total') ?? 0);
      // Once more: answered from the cache before the application, so a hit and no new render.
      const second = await fetch(`${site}${url}`);
      expect(second.headers.get('x-cache')).toBe('HIT');
      await second.text();
      const cached = await scrape();
      expect((cached.get(hits) ?? 0) - (rendered.get(hits) ?? 0)).toBe(1);
      expect(cached.get(route)).toBe(rendered.get(route));
      expect(cached.get('gazette_page_cache_bytes')).toBeGreaterThan(0);
      // The route is the pattern, never the address.
      expect([...cached.keys()].some((k) => k.includes(url))).toBe(false);
      // The event loop's delay and the process metrics.
      expect(cached.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);

      // Jobs: queue depth from the table at scrape time, durations and failures as they finish.
      await enqueueJob(t.db, { type: 'metrics.waiting' });
      await enqueueJob(t.db, { type: 'metrics.broken', maxAttempts: 1 });
      await enqueueJob(t.db, { type: 'metrics.quick' });
      const runner = createJobRunner({
        db: t.db,
        handlers: {
          'metrics.broken': async () => {
            throw new PermanentJobError('no such thing');
          },
          'metrics.quick': async () => undefined,
        },
      });
      await runner.runDue();
      const jobs = await scrape();
      expect(jobs.get('gazette_jobs{type="metrics.waiting",status="queued"}')).toBe(1);
      expect(jobs.get('gazette_jobs{type="metrics.broken",status="failed"}')).toBe(1);
      expect(jobs.get('gazette_job_failures_total{type="metrics.broken",outcome="failed"}')).toBe(1);
      expect(jobs.get('gazette_job_seconds_count{type="metrics.quick",outcome="done"}')).toBe(1);
      expect(jobs.has('gazette_job_seconds_bucket{le="+Inf",type="metrics.quick",outcome="done"}')).toBe(true);
    } finally {
      await app.close();
    }
    // Closed with the app.
    expect(app.metrics?.address()).toBeNull();
  }, 30_000);

  it('with a token: a scrape without it, or with another, is refused', async () => {
    const app = await build({ token: TOKEN });
    try {
      const { metrics } = await listening(app);
      const none = await fetch(metrics);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('gazette_');
      expect((await fetch(metrics, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      expect((await fetch(metrics, { headers: { authorization: TOKEN } })).status).toBe(401);
      const ok = await fetch(metrics, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(parse(await ok.text()).has('gazette_page_cache_hits_total')).toBe(true);
      expect((await fetch(metrics.replace('/metrics', '/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('metrics of a worker instance, an address already taken, a quick start', () => {
  let t: TestDb;
  let url: string;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    ({ url } = await makeArticle(t.db, { headline: 'Quiet metrics' }));
  });
  afterAll(() => t.destroy());

  it('a worker serves job and process metrics, without request or page-cache ones', async () => {
    await enqueueJob(t.db, { type: 'metrics.worker' });
    const metrics = await serveWorkerMetrics(t.db, { host: '127.0.0.1', port: 0 }, pino({ level: 'silent' }));
    try {
      const res = await fetch(`http://127.0.0.1:${metrics.address()?.port}/metrics`);
      const samples = parse(await res.text());
      expect(samples.get('gazette_jobs{type="metrics.worker",status="queued"}')).toBe(1);
      expect([...samples.keys()].some((k) => k.startsWith('gazette_http_') || k.startsWith('gazette_page_cache_hits'))).toBe(false);
    } finally {
      await metrics.close();
    }
    expect(metrics.address()).toBeNull();
  });

  it('an address in use stops the start with a message naming GAZETTE_METRICS_ADDR', async () => {
    const other = createServer().listen(0, '127.0.0.1');
    await once(other, 'listening');
    const port = (other.address() as AddressInfo).port;
    const app = await buildApp({
      db: t.db,
      dialect: t.dialect,
      config: { ...t.config, metrics: { host: '127.0.0.1', port } },
      logger: false,
    });
    try {
      await expect(app.listen({ port: 0, host: '127.0.0.1' })).rejects.toThrow(
        new ConfigError(`cannot listen for metrics on 127.0.0.1:${port} (GAZETTE_METRICS_ADDR): EADDRINUSE`),
      );
    } finally {
      await app.close();
      other.close();
    }
  });

  const packagesLoaded = async (extra: Record<string, string>) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/ops/deferred.child.ts', url], {
      env: { ...process.env, GAZETTE_DATA: t.dataDir, DATABASE_URL: '', GAZETTE_SECRET: t.config.secret, LOG_LEVEL: 'error', ...extra },
      timeout: 60_000,
    });
    return (JSON.parse(stdout) as { packages: string[] }).packages;
  };

  it('loads prom-client only when metrics are on', async () => {
    expect(await packagesLoaded({ GAZETTE_METRICS: '' })).not.toContain('prom-client');
    expect(await packagesLoaded({ GAZETTE_METRICS: 'on', GAZETTE_METRICS_ADDR: '127.0.0.1:0' })).toContain('prom-client');
  }, 120_000);
});
