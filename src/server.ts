import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { startScheduler } from './articles/scheduler.js';
import { pageCacheConfig } from './cache/cache.config.js';
import { warmPages } from './cache/cache.warm.js';
import { SETUP_STATE, SETUP_TOKEN_ENV, type SetupStateMessage, WORKER_INDEX_ENV } from './cluster/messages.js';
import { type Config, ConfigError } from './config.js';
import { connect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { refreshStatistics } from './db/statistics.js';
import { startJobWorker } from './jobs/job.worker.js';
import type { SchemaRoute } from './lazy.js';
import { closeMailers } from './mail/mail.transport.js';
import { startDigestTimer } from './newsletters/issue.auto.js';
import { startSignupCleanup } from './newsletters/subscriber.cleanup.js';
import { checkSecret } from './ops/fingerprint.js';
import { healthOf } from './ops/health.js';
import { withStartLock } from './ops/instance.lock.js';
import { loggerOptions } from './ops/log.format.js';
import { quietRepeats } from './ops/quiet.log.js';
import { dutiesOf, workerListener } from './ops/role.js';
import { announceReady } from './ops/start.banner.js';
import { compactSearchIndex } from './search/search.index.js';
import { renderMarkdown } from './text/markdown.js';
import { newSetupToken, prepareSetup } from './users/setup.service.js';

const SEARCH_MERGE_MS = 60_000;
/** How long after the start-up renders the modules a first edit needs are loaded. */
const IDLE_LOAD_MS = 2_000;
const SEARCH_MERGE_PAGES = 64;
const STATISTICS_MS = 3_600_000;

/** Why the server could not take its address, in the operator's terms. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another server is running there; choose another PORT)',
  EADDRNOTAVAIL: 'this machine has no such address (check HOST)',
  EACCES: 'permission denied (ports below 1024 need privileges; choose another PORT)',
};

export interface ServeOptions {
  /** Fill an empty database with the demo newsroom. */
  demo: boolean;
  /** A cluster worker: worker 0 prepares the database before the others start, and alone runs the scheduler and jobs. */
  clusterWorker?: boolean;
}

export interface Served {
  app: FastifyInstance;
  /** Stops the background work, closes the listener and the database (what SIGTERM does, without exiting). */
  stop(): Promise<void>;
}

/**
 * Migrates, optionally fills an empty database with the demo newsroom, serves, and drains on
 * SIGTERM. Instances started together on one database prepare it one at a time (a start lock).
 */
export async function serve(config: Config, opts: ServeOptions): Promise<Served> {
  const conn = connect(config);
  const worker = opts.clusterWorker ? Number(process.env[WORKER_INDEX_ENV] ?? 0) : undefined;
  const first = worker === undefined || worker === 0;
  const duties = dutiesOf(config.role, first);
  // No admin yet: a one-time link to create the first one, printed once the server answers. A
  // cluster's workers share the primary's secret, so a restarted worker keeps the printed link valid.
  const token = (worker !== undefined && process.env[SETUP_TOKEN_ENV]) || newSetupToken();
  delete process.env[SETUP_TOKEN_ENV];
  let setupToken: string | null = null;
  let storage: { close(): void } | undefined;
  // Under the start lock: another instance starting now waits, then finds the database ready.
  const prepare = async () => {
    const secret = first
      ? await migrate(conn.db).then(() => checkSecret(conn.db, config.secret, { accept: config.secretChanged }))
      : 'same';
    let app: FastifyInstance;
    if (duties.site) {
      app = await buildApp({ db: conn.db, dialect: conn.dialect, config, cache: pageCacheConfig(), logger: loggerOptions(config) });
      // A file write that finds the disk full (an upload) counts as a database write would.
      app.addHook('onError', async (_request, _reply, error) => healthOf(conn.db).noteError(error));
    } else {
      // The jobs (narration) write where the site reads: the shared bucket when one is set.
      storage = (await import('./storage/storage.js')).openStorage(config);
      app = await workerListener(config, conn.db);
      if (config.metrics) {
        const metrics = await (await import('./ops/metrics.js')).serveWorkerMetrics(conn.db, config.metrics, app.log);
        app.addHook('onClose', () => metrics.close());
      }
    }
    if (secret === 'replaced') {
      app.log.warn('GAZETTE_SECRET changed: its new fingerprint is stored; every instance must use the new secret');
    }
    const demo = first && opts.demo ? await import('./demo/demo.service.js') : undefined;
    if (demo && (await demo.isEmpty(conn.db))) {
      app.log.info('empty database: loading the demo newsroom');
      await demo.loadDemo(conn.db, { mediaRoot: join(config.dataDir, 'media') });
    }
    // A worker prints no link, so it leaves the one a web instance printed valid.
    setupToken = first && duties.site && (await prepareSetup(conn.db, token)) ? token : null;
    return app;
  };
  let app: FastifyInstance;
  try {
    app = first ? await withStartLock(config, prepare) : await prepare();
  } catch (error) {
    storage?.close();
    await conn.close().catch(() => undefined);
    throw error;
  }
  if (worker === 0) process.send?.({ type: SETUP_STATE, id: 0, needed: setupToken !== null } satisfies SetupStateMessage);
  // A full disk (a failed database write, or a file write in a request) is logged once, and /healthz says so until a write succeeds.
  const health = healthOf(conn.db);
  health.onChange((state, err) => {
    if (state.diskFull) app.log.error({ err }, 'disk full: writes fail until space is freed');
    else app.log.info('disk space available again: writes succeed');
  });
  // The scheduler and background jobs (narration…) run in one process; `gazette worker` adds more job runners.
  // Their polls fail every second while the database is away: logged once per half minute.
  const dutyLog = quietRepeats(app.log);
  const scheduler = duties.background
    ? startScheduler(conn.db, {
        intervalMs: config.schedulerInterval,
        onPublished: (ids) => app.log.info({ ids }, 'published scheduled articles'),
        onError: (err) => dutyLog.error({ err }, 'scheduler failed'),
      })
    : undefined;
  // Newsletter lists in daily-digest mode: an issue at each list's local time.
  const digests = duties.background
    ? startDigestTimer(conn.db, {
        onQueued: (ids) => app.log.info({ issues: ids }, 'queued daily newsletter digests'),
        onError: (err) => dutyLog.error({ err }, 'newsletter digests failed'),
      })
    : undefined;
  // Newsletter sign-ups never confirmed are deleted after 7 days: at start, then hourly.
  const signups = duties.background
    ? startSignupCleanup(conn.db, (err) => dutyLog.error({ err }, 'newsletter sign-up cleanup failed'))
    : undefined;
  const jobs = duties.background ? startJobWorker({ db: conn.db, config, log: dutyLog }) : undefined;
  // Each published or edited article adds a small full-text segment: merge a few pages a minute.
  const upkeep = duties.background
    ? setInterval(() => {
        compactSearchIndex(conn.db, SEARCH_MERGE_PAGES).catch((err) => app.log.warn({ err }, 'merging the search index failed'));
      }, SEARCH_MERGE_MS).unref()
    : undefined;
  // Planner statistics (on PostgreSQL, the search index's word counts): at start, then hourly.
  const refreshStats = (start = false) =>
    refreshStatistics(conn.db, { start }).catch((err) => app.log.warn({ err }, 'refreshing planner statistics failed'));
  if (duties.background) void refreshStats(true);
  const statistics = duties.background ? setInterval(() => refreshStats(), STATISTICS_MS).unref() : undefined;
  let closing = false;
  /** The front pages being rendered ahead of readers: stopped after the page at hand, before the database closes. */
  let warming: Promise<unknown> | undefined;
  const stop = async () => {
    closing = true;
    await warming;
    scheduler?.stop();
    signups?.stop();
    closeMailers();
    digests?.stop();
    clearInterval(upkeep);
    clearInterval(statistics);
    await jobs?.stop();
    await app.close();
    storage?.close();
    await conn.close();
  };
  const shutdown = async (signal: string) => {
    if (closing) return;
    app.log.info({ signal }, 'shutting down: draining requests');
    await stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A worker whose primary is gone stops too (nothing would restart or stop it any more).
  if (worker !== undefined) process.on('disconnect', () => void shutdown('primary gone'));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // Nothing is left running (scheduler, jobs, timers): the command ends with the reason.
    await stop();
    // The metrics listener's own address (GAZETTE_METRICS_ADDR) says what went wrong itself.
    if (error instanceof ConfigError) throw error;
    const why = LISTEN_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message;
    throw new ConfigError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }
  if (!duties.site) {
    app.log.info(
      { role: 'worker', port: listeningPort(app, config.port) },
      'worker running: scheduler, jobs and index upkeep; /healthz only',
    );
    return { app, stop };
  }
  // A cluster's primary says it once every worker listens.
  if (worker === undefined) {
    announceReady(config.logFormat, { host: config.host, port: listeningPort(app, config.port), setupToken }, app.log);
  }
  warming = warmPages(app, { closing: () => closing })
    .then((n) => {
      app.log.debug({ pages: n }, 'front pages rendered ahead of readers');
      // The Markdown renderer and its sanitiser load on first use (a quick start), and so are the
      // routes' schemas compiled; those an editor's first save or publish needs are made now, while
      // the server is idle, rather than in that moment, in front of the readers waiting meanwhile.
      setTimeout(() => {
        if (closing) return;
        renderMarkdown('Gazette');
        app.compileSchemasAhead(writesArticles, () => closing).catch((err) => app.log.warn({ err }, 'compiling schemas ahead failed'));
      }, IDLE_LOAD_MS).unref();
    })
    .catch((err) => {
      if (!closing) app.log.warn({ err }, 'rendering the front pages ahead of readers failed');
    });
  return { app, stop };
}

/** The routes that save and publish articles (the API's and the newsroom editor's). */
export function writesArticles(route: SchemaRoute): boolean {
  return /^(POST|PUT|PATCH)$/.test(route.method ?? '') && /^\/(api\/v1|admin)\/articles(\/:id)?$/.test(route.url ?? '');
}

/** The port taken (PORT=0 picks a free one). */
function listeningPort(app: FastifyInstance, fallback: number): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}
