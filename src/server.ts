import { buildApp } from './app.js';
import { startScheduler } from './articles/scheduler.js';
import { pageCacheConfig } from './cache/cache.config.js';
import type { Config } from './config.js';
import { connect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { isEmpty, loadDemo } from './demo/demo.service.js';
import { startJobWorker } from './jobs/job.worker.js';

/** Migrates, optionally fills an empty database with the demo newsroom, serves, and drains on SIGTERM. */
export async function serve(config: Config, opts: { demo: boolean }) {
  const conn = connect(config);
  await migrate(conn.db);
  const app = await buildApp({ db: conn.db, dialect: conn.dialect, config, cache: pageCacheConfig() });
  if (opts.demo && (await isEmpty(conn.db))) {
    app.log.info('empty database: loading the demo newsroom');
    await loadDemo(conn.db, { mediaRoot: app.gazette.mediaRoot });
  }
  const scheduler = startScheduler(conn.db, {
    intervalMs: config.schedulerInterval,
    onPublished: (ids) => app.log.info({ ids }, 'published scheduled articles'),
    onError: (err) => app.log.error({ err }, 'scheduler failed'),
  });
  // Background jobs (narration…) run in this process; `gazette worker` adds more runners.
  const jobs = startJobWorker({ db: conn.db, dataDir: config.dataDir, log: app.log });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    scheduler.stop();
    await jobs.stop();
    await app.close();
    await conn.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  return app;
}
