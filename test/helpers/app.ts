import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { DialectName } from '../../src/db/dialect.js';
import { createTestDb, type TestDb } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  t: TestDb;
  close(): Promise<void>;
}

/** The whole application on a fresh database, for `app.inject` or a real listening port. */
export async function createTestApp(dialect: DialectName, configure?: (app: FastifyInstance) => void): Promise<TestApp> {
  const t = await createTestDb(dialect);
  const app = await buildApp({ db: t.db, dialect: t.dialect, config: t.config, logger: false });
  configure?.(app);
  await app.ready();
  return {
    app,
    t,
    async close() {
      await app.close();
      await t.destroy();
    },
  };
}
