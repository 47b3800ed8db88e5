/** A rule: at most `max` hits per `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

export interface RateResult {
  ok: boolean;
  /** Seconds until the next hit would be allowed (when not ok). */
  retryAfter: number;
  /** Hits left under the tightest rule after this one (0 when not ok); left out by stores that do not know. */
  remaining?: number;
}

/**
 * Where rate-limit hits are kept: this process's memory, Redis (comment.limiter.redis.ts) or the
 * cluster primary (comment.limiter.cluster.ts); comment.limits.ts picks one.
 */
export interface RateLimitStore {
  /** Checks every key against every rule and, only when all pass, records the hit under each key. */
  hit(keys: string[], rules: RateRule[], now: number): Promise<RateResult>;
}

/** Sliding-window log in memory: exact, and small because each key keeps at most `max` stamps of its longest rule. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly hits = new Map<string, number[]>();
  private sweeps = 0;
  /** The longest window any hit asked for: a sweep keeps whatever may still count under it. */
  private longestSeen = 0;

  async hit(keys: string[], rules: RateRule[], now: number): Promise<RateResult> {
    const longest = Math.max(...rules.map((r) => r.windowMs));
    this.longestSeen = Math.max(this.longestSeen, longest);
    let retryAfter = 0;
    let remaining = Number.MAX_SAFE_INTEGER;
    for (const key of keys) {
      const stamps = (this.hits.get(key) ?? []).filter((t) => t > now - longest);
      this.hits.set(key, stamps);
      for (const rule of rules) {
        const inWindow = stamps.filter((t) => t > now - rule.windowMs);
        remaining = Math.min(remaining, rule.max - inWindow.length - 1);
        if (inWindow.length >= rule.max) {
          const freeAt = inWindow[inWindow.length - rule.max] + rule.windowMs;
          retryAfter = Math.max(retryAfter, Math.ceil((freeAt - now) / 1000));
        }
      }
    }
    if (retryAfter > 0) return { ok: false, retryAfter, remaining: 0 };
    const keep = Math.max(...rules.map((r) => r.max));
    for (const key of keys) {
      const stamps = this.hits.get(key) ?? [];
      stamps.push(now);
      if (stamps.length > keep) stamps.splice(0, stamps.length - keep);
      this.hits.set(key, stamps);
    }
    if (++this.sweeps % 1000 === 0) this.sweep(now, this.longestSeen);
    return { ok: true, retryAfter: 0, remaining };
  }

  private sweep(now: number, windowMs: number) {
    for (const [key, stamps] of this.hits) if (!stamps.some((t) => t > now - windowMs)) this.hits.delete(key);
  }
}
