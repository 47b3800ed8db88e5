import { promisify } from 'node:util';
import { brotliCompress, constants, gunzipSync, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * How a stored page was compressed. `quick` is what a first render gets: brotli at quality 5
 * with a window of at most 256 KB and gzip level 6 cost about 2 ms for a 25 KB page and come
 * within 1 % of brotli 9's bytes. `best` (brotli 11, gzip 9) costs 40–250 ms of CPU a page,
 * so only pages that are asked for again get it, later and one at a time (recompress.queue.ts).
 */
export type Grade = 'quick' | 'best';

/** A page as the page cache keeps it: its bodies in every encoding and what its answers carry. */
export interface CachedPage {
  /**
   * The body as rendered, kept only once a client that takes no compression asked for the page
   * (`PageCache.withIdentity`): browsers and crawlers take brotli or gzip, and the rendered body is
   * two thirds of a page's bytes. Until then `identityOf` unzips it when it is needed.
   */
  body?: Buffer;
  br: Buffer;
  gzip: Buffer;
  /** The strong validator of the identity body; the compressed forms add `-br` / `-gz`. */
  etag: string;
  contentType: string;
  cacheControl: string;
  /** The Last-Modified header the route sent (feeds, sitemaps), if any. */
  lastModified?: string;
  keys: string[];
  storedAt: number;
  /** Kept at most this long when shorter than the cache's own limit (a route's declared max-age). */
  ttlMs?: number;
  /** How `br` and `gzip` were made (page.compress.ts); a page without one is left as it is. */
  grade?: Grade;
  /** Answers given from memory so far. */
  hits?: number;
  /** Stored under an https: address: its hits carry Strict-Transport-Security too. */
  https?: boolean;
}

/** The body as rendered: the one kept, else unzipped from the gzip body. */
export function identityOf(page: CachedPage): Buffer {
  return page.body ?? gunzipSync(page.gzip);
}

/**
 * True when `b` is `a` or `a` with bodies added or recompressed (same render: same ETag, same
 * time stored); a page purged and rendered again is another render.
 */
export function sameRender(a: CachedPage, b: CachedPage): boolean {
  return a === b || (a.etag === b.etag && a.storedAt === b.storedAt);
}

export interface Compressed {
  br: Buffer;
  gzip: Buffer;
}

const QUICK_BROTLI = 5;
const QUICK_GZIP = 6;
const QUICK_MAX_WINDOW = 18;
const BEST_BROTLI = 11;
const BEST_GZIP = 9;
const BEST_MAX_WINDOW = 22;
/** Above this size brotli 11 takes seconds: such a document (a large sitemap) gets quality 9. */
const BEST_BROTLI_LIMIT = 1024 * 1024;

/** The smallest brotli window (as a power of two, 16–`max`) that holds the whole body. */
export function windowFor(length: number, max: number): number {
  let bits = 16;
  while (bits < max && 2 ** bits - 16 < length) bits++;
  return bits;
}

/**
 * The bytes in a Buffer of their own. zlib's asynchronous API hands back a slice of its 16 KB
 * output chunk; kept as is, a 6 KB page would hold 16 KB and the cache's byte count would lie.
 */
export function own(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return buffer;
  const copy = Buffer.allocUnsafeSlow(buffer.length);
  buffer.copy(copy);
  return copy;
}

/**
 * Compresses a body in libuv's threadpool (zlib's asynchronous functions): the event loop goes on
 * serving while it runs.
 */
export async function compressBody(body: Buffer, grade: Grade): Promise<Compressed> {
  const best = grade === 'best';
  const quality = best ? (body.length > BEST_BROTLI_LIMIT ? 9 : BEST_BROTLI) : QUICK_BROTLI;
  const [br, gzipped] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_LGWIN]: windowFor(body.length, best ? BEST_MAX_WINDOW : QUICK_MAX_WINDOW),
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz(body, { level: best ? BEST_GZIP : QUICK_GZIP }),
  ]);
  return { br: own(br), gzip: own(gzipped) };
}

/**
 * One encoding of a body with the quick settings, for an answer that is sent once and not kept
 * (src/web/compress.ts): the same quality and window a first stored page gets.
 */
export function compressOnce(body: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  if (encoding === 'gzip') return gz(body, { level: QUICK_GZIP });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUICK_BROTLI,
      [constants.BROTLI_PARAM_LGWIN]: windowFor(body.length, QUICK_MAX_WINDOW),
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}
