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
import { loggerOptions } from './ops/log.format.js';
import { announceReady } from './ops/start.banner.js';
import { compactSearchIndex } from './search/search.index.js';
import { renderMarkdown } from './text/markdown.js';
import { newSetupToken, prepareSetup } from './users/setup.service.js';
import './subscribers.js';

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

/** Migrates, optionally fills an empty database with the demo newsroom, serves, and drains on SIGTERM. */
export async function serve(config: Config, opts: ServeOptions) {
  const conn = connect(config);
  const worker = opts.clusterWorker ? Number(process.env[WORKER_INDEX_ENV] ?? 0) : undefined;
  const first = worker === undefined || worker === 0;
  if (first) await migrate(conn.db);
  const app = await buildApp({ db: conn.db, dialect: conn.dialect, config, cache: pageCacheConfig(), logger: loggerOptions(config) });
  const demo = first && opts.demo ? await import('./demo/demo.service.js') : undefined;
  if (demo && (await demo.isEmpty(conn.db))) {
    app.log.info('empty database: loading the demo newsroom');
    await demo.loadDemo(conn.db, { mediaRoot: app.gazette.mediaRoot });
  }
  // No admin yet: a one-time link to create the first one, printed once the server answers. A
  // cluster's workers share the primary's secret, so a restarted worker keeps the printed link valid.
  const token = (worker !== undefined && process.env[SETUP_TOKEN_ENV]) || newSetupToken();
  delete process.env[SETUP_TOKEN_ENV];
  const setupToken = first && (await prepareSetup(conn.db, token)) ? token : null;
  if (worker === 0) process.send?.({ type: SETUP_STATE, id: 0, needed: setupToken !== null } satisfies SetupStateMessage);
  // The scheduler and background jobs (narration…) run in one process; `gazette worker` adds more job runners.
  const scheduler = first
    ? startScheduler(conn.db, {
        intervalMs: config.schedulerInterval,
        onPublished: (ids) => app.log.info({ ids }, 'published scheduled articles'),
        onError: (err) => app.log.error({ err }, 'scheduler failed'),
      })
    : undefined;
  const jobs = first ? startJobWorker({ db: conn.db, dataDir: config.dataDir, log: app.log }) : undefined;
  // Each published or edited article adds a small full-text segment: merge a few pages a minute.
  const upkeep = first
    ? setInterval(() => {
        compactSearchIndex(conn.db, SEARCH_MERGE_PAGES).catch((err) => app.log.warn({ err }, 'merging the search index failed'));
      }, SEARCH_MERGE_MS).unref()
    : undefined;
  // Planner statistics (on PostgreSQL, the search index's word counts): at start, then hourly.
  const refreshStats = (start = false) =>
    refreshStatistics(conn.db, { start }).catch((err) => app.log.warn({ err }, 'refreshing planner statistics failed'));
  if (first) void refreshStats(true);
  const statistics = first ? setInterval(() => refreshStats(), STATISTICS_MS).unref() : undefined;
  let closing = false;
  /** The front pages being rendered ahead of readers: stopped after the page at hand, before the database closes. */
  let warming: Promise<unknown> | undefined;
  const stop = async () => {
    closing = true;
    await warming;
    scheduler?.stop();
    clearInterval(upkeep);
    clearInterval(statistics);
    await jobs?.stop();
    await app.close();
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
    const why = LISTEN_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message;
    throw new ConfigError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }
  // A cluster's primary says it once every worker listens.
  if (worker === undefined) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    announceReady(config.logFormat, { host: config.host, port, setupToken }, app.log);
  }
  warming = warmPages(app, { closing: () => closing })
    .then((n) => {
      app.log.debug({ pages: n }, 'front pages rendered ahead of readers');
      // The Markdown renderer and its sanitiser load on first use (a quick start); loaded now, while
      // the server is idle, rather than in the moment an editor first saves or publishes.
      setTimeout(() => closing || renderMarkdown('Gazette'), IDLE_LOAD_MS).unref();
    })
    .catch((err) => {
      if (!closing) app.log.warn({ err }, 'rendering the front pages ahead of readers failed');
    });
  return app;
}
