import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Collects, for the request being served, the cache keys of everything its page shows. Queries
 * that load reader content call `noteKeys`; outside a tracked request it does nothing.
 *
 * On Node 20 an enabled AsyncLocalStorage hooks the creation of every asynchronous resource in
 * the process, cached hits included (about a seventh of their throughput). So the storage is
 * enabled only while some request is tracked, and disabled again when the last one has been
 * answered: a cache that answers every request from memory runs without the hooks.
 */
const storage = new AsyncLocalStorage<Set<string>>();
let tracked = 0;

export function noteKeys(...keys: string[]): void {
  const store = storage.getStore();
  if (store) for (const key of keys) store.add(key);
}

/**
 * Runs `fn` (and everything it starts) with `keys` collecting what it notes. Call `untrack` once
 * when that request's answer is complete (nothing it started may note keys after that).
 */
export function trackKeys<T>(keys: Set<string>, fn: () => T): T {
  tracked++;
  return storage.run(keys, fn);
}

/** The end of one tracked request. */
export function untrack(): void {
  if (tracked > 0) tracked--;
  if (tracked === 0) storage.disable();
}

/** How many requests are being tracked (for tests). */
export const trackedRequests = () => tracked;
