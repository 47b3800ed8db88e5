/** How long the same failure is logged once: a database away for a minute is one line, not sixty. */
const REPEAT_MS = 30_000;

interface ErrorLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The background loops' failures that repeat every poll while the database is away. */
const POLL_FAILURES = ['scheduler failed', 'job runner could not poll', 'could not record a job failure'];

/**
 * A log whose repeated poll failures (the same message every second while the database is away)
 * are written once per half minute, the next line counting those left out. Other lines (each
 * job's failure) are all written.
 */
export function quietRepeats(log: ErrorLog, opts: { repeatMs?: number; now?: () => number } = {}): ErrorLog {
  const repeatMs = opts.repeatMs ?? REPEAT_MS;
  const clock = opts.now ?? Date.now;
  const seen = new Map<string, { at: number; skipped: number }>();
  return {
    info: (obj, msg) => log.info(obj, msg),
    error(obj, msg) {
      if (!POLL_FAILURES.includes(msg)) return log.error(obj, msg);
      const now = clock();
      const last = seen.get(msg);
      if (last && now - last.at < repeatMs) {
        last.skipped++;
        return;
      }
      seen.set(msg, { at: now, skipped: 0 });
      log.error(last?.skipped ? { ...obj, repeated: last.skipped } : obj, msg);
    },
  };
}
