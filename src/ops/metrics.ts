import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PageCache } from '../cache/page.cache.js';
import type { MetricsConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { countJobs } from '../jobs/job.repo.js';
import { type JobFinished, jobFinished } from '../jobs/job.runner.js';
import { listenMetrics, type MetricsListener } from './metrics.listen.js';

/**
 * Prometheus metrics (GAZETTE_METRICS=on), served on an address of their own (metrics.listen.ts),
 * never on the public port. This module and prom-client are loaded only when metrics are on.
 * What is cheap to read later is read when Prometheus scrapes (page-cache counters, the jobs
 * table); per request there is one counter and one histogram, and only for requests the
 * application answered (page-cache hits are counted by the cache itself).
 */
export interface Metrics {
  registry: Registry;
  /** Where the metrics listener took its address (port 0 picks a free one); null before it listens. */
  address(): AddressInfo | null;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Present when GAZETTE_METRICS=on. */
    metrics?: Metrics;
  }
}

const JOB_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];

/** Process, event-loop and job metrics: the jobs table is read at scrape time, timings come from the job runner's channel. */
function createRegistry(db: Kysely<Database>): { registry: Registry; close(): void } {
  const registry = new Registry();
  // Process and Node.js metrics; nodejs_eventloop_lag_* come from perf_hooks.monitorEventLoopDelay.
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'gazette_jobs',
    help: 'Background jobs in the database by type and status (queued, running, failed); the same on every instance.',
    labelNames: ['type', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      // A scrape while the database is away shows no job counts rather than failing as a whole.
      for (const row of await countJobs(db).catch(() => [])) this.set({ type: row.type, status: row.status }, row.n);
    },
  });
  const seconds = new Histogram({
    name: 'gazette_job_seconds',
    help: 'How long job attempts run in this process (narration: type="narration.generate"), by outcome: done, retry, failed.',
    labelNames: ['type', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'gazette_job_failures_total',
    help: 'Job attempts that failed in this process: retry (runs again later) or failed (for good).',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const onJob = (message: unknown) => {
    const job = message as JobFinished;
    seconds.observe({ type: job.type, outcome: job.outcome }, job.seconds);
    if (job.outcome !== 'done') failures.inc({ type: job.type, outcome: job.outcome });
  };
  subscribe(jobFinished.name, onJob);
  return { registry, close: () => void unsubscribe(jobFinished.name, onJob) };
}

/** The page cache's own counters, read at scrape time (hits are answered before the application). */
function cacheMetrics(registry: Registry, cache: () => PageCache | undefined): void {
  const counter = (name: string, help: string, read: (cache: PageCache) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const store = cache();
        if (store) this.inc(read(store));
      },
    });
  counter('gazette_page_cache_hits_total', 'Requests answered from the page cache.', (c) => c.stats.hits);
  counter('gazette_page_cache_misses_total', 'Cacheable requests the page cache did not hold.', (c) => c.stats.misses);
  counter('gazette_page_cache_purged_total', 'Pages dropped from the page cache by events.', (c) => c.stats.purged);
  new Gauge({
    name: 'gazette_page_cache_bytes',
    help: 'Bytes held by the page cache.',
    registers: [registry],
    collect() {
      this.set(cache()?.bytes ?? 0);
    },
  });
}

/** Request metrics by route pattern and status class; call before the app's routes are added. */
function observeRequests(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'gazette_http_requests_total',
    help: 'Requests the application answered (page-cache hits are in gazette_page_cache_hits_total).',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gazette_http_request_duration_seconds',
    help: 'Time to answer a request the application answered.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      // The pattern (/:section/:slug), never the address: one series per route.
      route: request.routeOptions.url ?? 'unmatched',
      status: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}

/** The site's metrics: request hooks now, the listener when the app is ready, closed with it. */
export function installMetrics(app: FastifyInstance, config: MetricsConfig): void {
  const { registry, close } = createRegistry(app.gazette.db);
  cacheMetrics(registry, () => app.pageCache?.store);
  observeRequests(app, registry);
  let listener: MetricsListener | undefined;
  const metrics: Metrics = {
    registry,
    address: () => listener?.address() ?? null,
    async close() {
      close();
      await listener?.close();
    },
  };
  app.decorate('metrics', metrics);
  app.addHook('onReady', async () => {
    listener = await listenMetrics(registry, config, app.log);
  });
  app.addHook('onClose', () => metrics.close());
}

/** A worker instance (GAZETTE_ROLE=worker): job and process metrics only. */
export async function serveWorkerMetrics(db: Kysely<Database>, config: MetricsConfig, log: FastifyBaseLogger): Promise<Metrics> {
  const { registry, close } = createRegistry(db);
  const listener = await listenMetrics(registry, config, log);
  return {
    registry,
    address: () => listener.address(),
    async close() {
      close();
      await listener.close();
    },
  };
}
