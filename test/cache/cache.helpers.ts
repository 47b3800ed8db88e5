import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type PageCacheConfig, socketDoorOn } from '../../src/cache/cache.config.js';
import type { DialectName } from '../../src/db/dialect.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

export interface CachedApp {
  app: FastifyInstance;
  t: TestDb;
  close(): Promise<void>;
}

/** The socket door follows GAZETTE_SOCKET_DOOR, so the cache tests also run with the front door alone (.ci/run). */
export const CACHE_ON: PageCacheConfig = {
  enabled: true,
  maxBytes: 32 * 1024 * 1024,
  ttlMs: 600_000,
  pollMs: 60_000,
  socketDoor: socketDoorOn(),
};

/** The application with the page cache on, on a fresh database (or on `t`, shared with another app). */
export async function createCachedApp(dialect: DialectName, cache: Partial<PageCacheConfig> = {}, t?: TestDb): Promise<CachedApp> {
  const db = t ?? (await createTestDb(dialect));
  const app = await buildApp({ db: db.db, dialect: db.dialect, config: db.config, logger: false, cache: { ...CACHE_ON, ...cache } });
  await app.ready();
  return {
    app,
    t: db,
    async close() {
      await app.close();
      if (!t) await db.destroy();
    },
  };
}

/** The paths among `paths` that the page cache holds now (host-independent). */
export function cachedPaths(app: FastifyInstance, paths: string[]): string[] {
  const urls = app.pageCache.store?.urls() ?? [];
  const held = new Set(urls.map((u) => new URL(u).pathname + new URL(u).search));
  return paths.filter((p) => held.has(p));
}
