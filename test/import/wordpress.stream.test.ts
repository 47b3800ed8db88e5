import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFormatError } from '../../src/import/import.model.js';
import { readWordPress } from '../../src/import/wordpress/wordpress.reader.js';

const run = promisify(execFile);
const POSTS = 5000;
const COMMENTS = 10;
const work = mkdtempSync(join(tmpdir(), 'gazette-wp-stream-'));
const big = join(work, 'big.xml');
let size = 0;

beforeAll(async () => {
  // The benchmark's own generator writes the file (streaming, one item at a time).
  await run(
    process.execPath,
    ['scripts/bench/import.mjs', '--generate-only', '--posts', String(POSTS), '--comments', String(COMMENTS), '--out', big],
    {
      timeout: 120_000,
    },
  );
  size = statSync(big).size;
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A full collection, when the process lets us ask for one (V8 flag set at run time). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('WordPress reader: streaming', () => {
  it('the generated export is big enough to tell streaming from loading', () => {
    expect(size).toBeGreaterThan(30 * 2 ** 20);
  });

  it('yields the first post after reading a small part of the file (one pass)', async () => {
    let readAtFirst = -1;
    let read = 0;
    const site = await readWordPress(big, { prescan: false, onProgress: (bytes) => (read = bytes) });
    let count = 0;
    for await (const post of site.posts) {
      if (count === 0) {
        readAtFirst = read;
        expect(post.sourceId).toBe('1');
        expect(post.comments).toHaveLength(COMMENTS);
      }
      if (++count === 3) break;
    }
    expect(count).toBe(3);
    expect(readAtFirst).toBeGreaterThan(0);
    expect(readAtFirst).toBeLessThan(size / 20);
    // Stopping early stops reading.
    expect(read).toBeLessThan(size / 20);
  });

  it('with the prescan, the posts pass also streams (the prescan read the file before)', async () => {
    let read = 0;
    const site = await readWordPress(big, { onProgress: (bytes) => (read = bytes) });
    expect(site.totals).toEqual({ posts: POSTS, comments: POSTS * COMMENTS });
    expect(read).toBe(0);
    for await (const _post of site.posts) break;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(size / 20);
  });

  it('in one pass, posts arrive before a broken end of the file is reached', async () => {
    const broken = join(work, 'broken-end.xml');
    copyFileSync(big, broken);
    appendFileSync(broken, '<item><title>after the end</wrong></item>');
    const site = await readWordPress(broken, { prescan: false });
    let count = 0;
    const error = await (async () => {
      try {
        for await (const _post of site.posts) count++;
      } catch (e) {
        return e;
      }
    })();
    // All but the few posts in the last chunk read, the one where the error is met.
    expect(count).toBeGreaterThan(POSTS - 50);
    expect(error).toBeInstanceOf(ImportFormatError);
  });

  it('keeps memory bounded: heap growth stays far below the file size while reading every post', async () => {
    const gc = collector();
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let posts = 0;
    let comments = 0;
    let pictured = 0;
    const site = await readWordPress(big);
    for await (const post of site.posts) {
      posts++;
      comments += post.comments.length;
      if (post.featuredImage) pictured++;
      if (posts % 250 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    expect(posts).toBe(POSTS);
    expect(comments).toBe(POSTS * COMMENTS);
    // One post in a hundred has a featured image whose attachment comes after it in the file.
    expect(pictured).toBe(POSTS / 100);
    // Holding the file (or its posts) would take more than the file's size; one item at a time takes a few MB.
    expect(peak).toBeLessThan(Math.min(24 * 2 ** 20, size / 2));
  }, 300_000);
});
