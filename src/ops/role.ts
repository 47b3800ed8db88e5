import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config, Role } from '../config.js';
import { healthRoute } from './health.route.js';
import { loggerOptions } from './log.format.js';

/**
 * What an instance does, by GAZETTE_ROLE. `web` serves the site; `worker` publishes scheduled
 * articles, runs the jobs, merges the search index and refreshes planner statistics, and answers
 * only /healthz; `all` does both. The duties are safe to run in several instances at once
 * (scheduled articles and jobs are claimed row by row), but one worker is enough.
 */
export interface Duties {
  /** Serve the site (pages, API, newsroom). */
  site: boolean;
  /** Scheduler, job runner, search-index merging, statistics refresh. */
  background: boolean;
}

export function dutiesOf(role: Role | undefined, first: boolean): Duties {
  const r = role ?? 'all';
  return { site: r !== 'worker', background: first && r !== 'web' };
}

/** A worker's only listener: /healthz (for a supervisor), everything else 404. */
export async function workerListener(config: Config, db: Kysely<any>): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions(config), return503OnClosing: true });
  healthRoute(app, db);
  await app.ready();
  return app;
}
