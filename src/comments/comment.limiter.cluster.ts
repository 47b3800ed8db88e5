import type { Worker } from 'node:cluster';
import { MemoryRateLimitStore, type RateLimitStore, type RateResult, type RateRule } from './comment.limiter.js';

/** The tag of rate-limit messages between a worker and the primary; other messages are left alone. */
export const RATE_MESSAGE = 'gazette:rate';

interface HitRequest {
  type: typeof RATE_MESSAGE;
  id: number;
  keys: string[];
  rules: RateRule[];
  now: number;
}

type HitReply = { type: typeof RATE_MESSAGE; id: number } & ({ ok: boolean; retryAfter: number; remaining?: number } | { error: string });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isHitRequest(message: unknown): message is HitRequest {
  if (!isObject(message) || message.type !== RATE_MESSAGE || typeof message.id !== 'number') return false;
  const { keys, rules, now } = message;
  return (
    Array.isArray(keys) &&
    keys.every((k) => typeof k === 'string') &&
    Array.isArray(rules) &&
    rules.length > 0 &&
    rules.every((r) => isObject(r) && Number.isInteger(r.max) && (r.max as number) > 0 && Number(r.windowMs) > 0) &&
    Number.isFinite(now)
  );
}

/**
 * The primary's side: answers the rate-limit questions of one worker from `store`. Give every
 * worker the same store so that all of them share one count. Returns a function that stops
 * listening.
 */
export function serveRateLimits(worker: Worker, store: RateLimitStore): () => void {
  const reply = (message: HitReply) => {
    if (!worker.isConnected()) return;
    try {
      worker.send(message, undefined, () => {});
    } catch {
      // The worker went away between the check and the send; it falls back on its own.
    }
  };
  const onMessage = (message: unknown) => {
    if (!isObject(message) || message.type !== RATE_MESSAGE) return;
    const id = typeof message.id === 'number' ? message.id : -1;
    if (!isHitRequest(message)) return reply({ type: RATE_MESSAGE, id, error: 'malformed rate-limit request' });
    store.hit(message.keys, message.rules, message.now).then(
      (result) => reply({ type: RATE_MESSAGE, id, ok: result.ok, retryAfter: result.retryAfter, remaining: result.remaining }),
      (error: unknown) => reply({ type: RATE_MESSAGE, id, error: String(error) }),
    );
  };
  worker.on('message', onMessage);
  return () => worker.off('message', onMessage);
}

export interface ClusterRateLimitOptions {
  /** How long to wait for the primary before counting in this process instead. */
  timeoutMs?: number;
  /** Called once when the primary stops answering and this process starts counting on its own. */
  onFallback?: (reason: string) => void;
  /** Called once when the primary answers again. */
  onRecover?: () => void;
}

interface Pending {
  resolve(result: RateResult): void;
  fallback(reason: string): void;
  timer: NodeJS.Timeout;
}

/** A worker's store: each hit is asked of the primary over the cluster's IPC channel. */
export class ClusterRateLimitStore implements RateLimitStore {
  private readonly local = new MemoryRateLimitStore();
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private seq = 0;
  private failing = false;

  constructor(private readonly options: ClusterRateLimitOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    process.on('message', this.onMessage);
    process.on('disconnect', this.onDisconnect);
  }

  hit(keys: string[], rules: RateRule[], now: number): Promise<RateResult> {
    if (!process.send || !process.connected) return this.fallback('no IPC channel to the primary', keys, rules, now);
    const id = ++this.seq;
    return new Promise((resolve) => {
      const fallback = (reason: string) => {
        const entry = this.pending.get(id);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.pending.delete(id);
        resolve(this.fallback(reason, keys, rules, now));
      };
      const timer = setTimeout(() => fallback(`no answer from the primary within ${this.timeoutMs} ms`), this.timeoutMs);
      this.pending.set(id, { resolve, fallback, timer });
      const request: HitRequest = { type: RATE_MESSAGE, id, keys, rules, now };
      try {
        process.send?.(request, undefined, {}, (error) => {
          if (error) fallback(`sending to the primary failed: ${error.message}`);
        });
      } catch (error) {
        fallback(`sending to the primary failed: ${(error as Error).message}`);
      }
    });
  }

  /** Stops listening; hits still waiting are counted in this process. */
  close() {
    process.off('message', this.onMessage);
    process.off('disconnect', this.onDisconnect);
    this.onDisconnect();
  }

  private readonly onMessage = (message: unknown) => {
    if (!isObject(message) || message.type !== RATE_MESSAGE || typeof message.id !== 'number') return;
    const entry = this.pending.get(message.id);
    if (!entry) return;
    if (typeof message.ok !== 'boolean' || typeof message.retryAfter !== 'number') {
      return entry.fallback(`the primary could not answer: ${String(message.error)}`);
    }
    clearTimeout(entry.timer);
    this.pending.delete(message.id);
    if (this.failing) {
      this.failing = false;
      this.options.onRecover?.();
    }
    const { ok, retryAfter, remaining } = message;
    entry.resolve(typeof remaining === 'number' ? { ok, retryAfter, remaining } : { ok, retryAfter });
  };

  private readonly onDisconnect = () => {
    for (const entry of [...this.pending.values()]) entry.fallback('the IPC channel to the primary closed');
  };

  private fallback(reason: string, keys: string[], rules: RateRule[], now: number): Promise<RateResult> {
    if (!this.failing) {
      this.failing = true;
      this.options.onFallback?.(reason);
    }
    return this.local.hit(keys, rules, now);
  }
}
