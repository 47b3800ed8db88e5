import type { CompiledQuery, DatabaseConnection, Dialect, Driver } from 'kysely';
import type { DbHealth } from './health.js';

const WRITE = /^\s*(insert|update|delete|commit)\b/i;

/**
 * The dialect with every query's outcome reported to `health`: a failure that says the disk is
 * full marks the instance unhealthy, and the next successful write clears it. Each connection's
 * `executeQuery` is observed in place (the drivers keep private state on their connection objects).
 */
export function observedDialect(dialect: Dialect, health: DbHealth): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => observedDriver(dialect.createDriver(), health),
  };
}

function observedDriver(driver: Driver, health: DbHealth): Driver {
  const seen = new WeakSet<DatabaseConnection>();
  const acquire = driver.acquireConnection.bind(driver);
  driver.acquireConnection = async () => {
    const connection = await acquire();
    if (!seen.has(connection)) {
      seen.add(connection);
      const run = connection.executeQuery.bind(connection);
      connection.executeQuery = async <R>(query: CompiledQuery) => {
        try {
          const result = await run<R>(query);
          if (health.diskFull && WRITE.test(query.sql)) health.noteWrite();
          return result;
        } catch (error) {
          health.noteError(error);
          throw error;
        }
      };
    }
    return connection;
  };
  return driver;
}
