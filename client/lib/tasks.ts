/**
 * Keeping the main thread free while a page starts: each part of a page's enhancement runs in a
 * task of its own (a phone at a quarter of a laptop's speed turns a few small setups run together
 * into one long task that delays the reader's first tap), and parts the reader may never reach
 * wait until they are needed.
 */

interface Scheduler {
  yield?: () => Promise<void>;
}

/** Resolves in a new task: input and painting can come first. */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs the steps one per task, in order; a step that fails does not stop the ones after it. */
export async function stepByStep(steps: (() => void)[]): Promise<void> {
  for (const step of steps) {
    await nextTask();
    try {
      step();
    } catch (e) {
      rethrowLater(e);
    }
  }
}

/** Runs `fn` when the browser is idle (at the latest after `timeout` ms), or soon where it cannot say. */
export function whenIdle(fn: () => void, timeout = 1000): void {
  if ('requestIdleCallback' in window) requestIdleCallback(fn, { timeout });
  else setTimeout(fn, 50);
}

/** Reports the error as an uncaught one would be (console, error listeners), without stopping the caller. */
function rethrowLater(e: unknown): void {
  setTimeout(() => {
    throw e;
  });
}
