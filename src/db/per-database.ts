import type { Executor } from '../events.js';

/**
 * A value kept for each database handle, made on first use: what is remembered of one database
 * (its ids, its words) must not answer for another in the same process (tests open several).
 */
export function perDatabase<T>(make: () => T): (db: Executor) => T {
  const values = new WeakMap<Executor, T>();
  return (db) => {
    let value = values.get(db);
    if (value === undefined) {
      value = make();
      values.set(db, value);
    }
    return value;
  };
}
