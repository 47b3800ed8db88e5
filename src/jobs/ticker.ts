/**
 * Runs `work` once now (catching up on what fell due while the process was down), then every
 * `intervalMs`, never two at once; a failure goes to `onError` and the next tick tries again.
 * The scheduler, the newsletter digests and the sign-up clean-up run on it.
 */
export function startTicker<T>(
  work: () => Promise<T[]>,
  opts: { intervalMs: number; onDone?: (items: T[]) => void; onError?: (error: unknown) => void },
): { stop(): void; tick(): Promise<T[]> } {
  let running = false;
  const tick = async (): Promise<T[]> => {
    if (running) return [];
    running = true;
    try {
      const items = await work();
      if (items.length) opts.onDone?.(items);
      return items;
    } catch (error) {
      opts.onError?.(error);
      return [];
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
