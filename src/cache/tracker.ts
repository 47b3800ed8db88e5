import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Collects, for the request being served, the cache keys of everything its page shows. Queries
 * that load reader content call `noteKeys`; outside a tracked request it does nothing.
 */
const storage = new AsyncLocalStorage<Set<string>>();

export function noteKeys(...keys: string[]): void {
  const store = storage.getStore();
  if (store) for (const key of keys) store.add(key);
}

/** Runs `fn` (and everything it starts) with `keys` collecting what it notes. */
export function trackKeys<T>(keys: Set<string>, fn: () => T): T {
  return storage.run(keys, fn);
}
