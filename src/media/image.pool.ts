import { availableParallelism } from 'node:os';
import type Sharp from 'sharp';
import { AppError } from '../errors.js';
import { lazy } from '../lazy.js';

/**
 * A queue for image work (decoding, resizing, encoding): at most `limit` jobs run at once, the
 * rest wait their turn in order, and at most `maxWaiting` may wait. sharp already works off the
 * event loop, in libuv's small thread pool (four threads, shared with file reads); without a
 * bound, a few large uploads at once take every thread and core, and readers' pages wait.
 */
export class JobPool {
  /** Jobs running now. */
  running = 0;
  /** The most jobs that ever ran at once (for tests and diagnostics). */
  peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) {
      this.running++;
    } else {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AppError('busy', 'Too many images are being processed right now: try again in a minute.', 'hero');
      }
      // The finishing job hands its place over: `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** One image at a time on a machine of two cores or fewer, two on larger ones: the other cores stay with readers. */
export const IMAGE_JOBS = Math.max(1, Math.min(2, availableParallelism() - 1));

/** Every upload, publish and crop of this process goes through this pool. */
export const imagePool = new JobPool(IMAGE_JOBS, 64);

const sharpModule = lazy<typeof Sharp>('sharp');
let bounded = false;

/** sharp, with the threads each image may use bounded (libvips' own pool, per image being worked on). */
export function imageSharp(): typeof Sharp {
  const sharp = sharpModule();
  if (!bounded) {
    sharp.concurrency(Math.min(sharp.concurrency(), 2));
    bounded = true;
  }
  return sharp;
}
