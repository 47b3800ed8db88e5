import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressPage } from '../../src/cache/cache.store.plugin.js';
import { etagOf } from '../../src/cache/hit.http.js';
import { type CachedPage, PageCache } from '../../src/cache/page.cache.js';
import { compressBody, windowFor } from '../../src/cache/page.compress.js';
import { RecompressQueue } from '../../src/cache/recompress.queue.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

const brotli = promisify(brotliCompress);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTML-like body of about `kb` KB, of words with the variety of real text. */
function htmlBody(kb: number, seed = 1): Buffer {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
  const words = Array.from({ length: 400 }, () =>
    Array.from({ length: 3 + (next() % 8) }, () => String.fromCharCode(97 + (next() % 26))).join(''),
  );
  let text = '<!doctype html><html><body>';
  while (text.length < kb * 1024) {
    let sentence = '';
    for (let i = 0; i < 12; i++) sentence += `${words[next() % 400]} `;
    text += `<p class="c${next() % 7}">${sentence}</p>\n`;
  }
  return Buffer.from(`${text}</body></html>`);
}

async function quickPage(body: Buffer, keys = ['article:1']): Promise<CachedPage> {
  const etag = etagOf(body);
  const compressed = await compressPage(body, etag);
  return {
    body,
    ...compressed,
    etag,
    contentType: 'text/html',
    cacheControl: 'public',
    keys,
    storedAt: Date.now(),
    grade: 'quick',
    hits: 0,
  };
}

describe('compression of stored pages', () => {
  it('compresses a first store cheaply, in a form that decodes to the same page', async () => {
    const body = htmlBody(25);
    const page = await quickPage(body);
    expect(brotliDecompressSync(page.br).equals(body)).toBe(true);
    expect(gunzipSync(page.gzip).equals(body)).toBe(true);
    // Within a few percent of what brotli 9 with its default window made before…
    const old = await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
    expect(page.br.length).toBeLessThan(old.length * 1.15);
    // …with the quick settings: brotli 5 in a window no larger than the page (at most 256 KB), which
    // costs a small part of brotli 9's CPU (`npm run bench -- --only tail` measures it; a timed
    // test would fail on a busy machine). Brotli is deterministic: the same settings, the same bytes.
    const quickBrotli = brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_LGWIN]: windowFor(body.length, 18),
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    expect(page.br.equals(quickBrotli)).toBe(true);
    expect(page.gzip.equals(gzipSync(body, { level: 6 }))).toBe(true);
  });

  it('keeps every stored body in memory of its own, so the byte bound is what is held', async () => {
    const cache = new PageCache({ maxBytes: 1024 * 1024, ttlMs: 60_000, recompressAfterHits: 0 });
    for (let i = 0; i < 80; i++) cache.set(`/p${i}`, await quickPage(htmlBody(25, i)), cache.generation);
    expect(cache.bytes).toBeLessThanOrEqual(1024 * 1024);
    let held = 0;
    for (const url of cache.urls()) {
      const page = cache.peek(url) as CachedPage;
      for (const buffer of [page.body as Buffer, page.br, page.gzip]) {
        // zlib hands back slices of 16 KB chunks; a stored page must not keep those.
        expect(buffer.buffer.byteLength).toBe(buffer.length);
        held += buffer.length;
      }
    }
    expect(held).toBeLessThanOrEqual(cache.bytes);
    expect(cache.size).toBeGreaterThan(10);
    expect(cache.size).toBeLessThan(80);
  });

  it('runs the best compression in the threadpool: the event loop turns while it works', async () => {
    const body = htmlBody(300);
    let done = false;
    const running = compressBody(body, 'best').then((c) => {
      done = true;
      return c;
    });
    let turns = 0;
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(turns).toBeGreaterThan(10);
    expect(brotliDecompressSync((await running).br).equals(body)).toBe(true);
  });
});

describe('recompression of popular pages', () => {
  it('recompresses a page after N hits with the best settings: smaller or equal, same page', async () => {
    const cache = new PageCache({ maxBytes: 8 * 1024 * 1024, ttlMs: 60_000, recompressAfterHits: 3 });
    const body = htmlBody(40);
    const first = await quickPage(body);
    cache.set('/a', first, cache.generation);
    cache.get('/a');
    cache.get('/a');
    expect(cache.recompress?.pending).toBe(0);
    cache.get('/a');
    expect(cache.recompress?.pending).toBe(1);
    await cache.recompress?.drained();
    const best = cache.peek('/a') as CachedPage;
    expect(best).not.toBe(first);
    expect(best.grade).toBe('best');
    expect(best.br.length).toBeLessThan(first.br.length);
    expect(best.gzip.length).toBeLessThanOrEqual(first.gzip.length);
    expect(brotliDecompressSync(best.br).equals(body)).toBe(true);
    expect(gunzipSync(best.gzip).equals(body)).toBe(true);
    // Still indexed by its keys, and not offered again.
    for (let i = 0; i < 5; i++) cache.get('/a');
    expect(cache.recompress?.pending).toBe(0);
    expect(cache.purge(['article:1'])).toBe(1);
    cache.close();
  });

  it('recompresses a page that gained its rendered body meanwhile (the same render), keeping that body', async () => {
    const cache = new PageCache({ maxBytes: 8 * 1024 * 1024, ttlMs: 60_000, recompressAfterHits: 1 });
    const body = htmlBody(60, 3);
    const first = { ...(await quickPage(body)), body: undefined };
    cache.set('/d', first, cache.generation);
    expect(cache.get('/d')).toBe(first);
    expect(cache.recompress?.pending).toBe(1);
    // A plain client asks while the recompression waits: the stored object is replaced by one with the body.
    const plain = cache.withIdentity('/d', first);
    expect(plain.body?.equals(body)).toBe(true);
    expect(cache.peek('/d')).toBe(plain);
    await cache.recompress?.drained();
    const best = cache.peek('/d') as CachedPage;
    expect(best.grade).toBe('best');
    expect(best.body?.equals(body)).toBe(true);
    expect(brotliDecompressSync(best.br).equals(body)).toBe(true);
    expect(cache.recompress?.stats.replaced).toBe(1);
    cache.close();
  });

  it('does not replace a page purged or rendered again while its recompression ran', async () => {
    const cache = new PageCache({ maxBytes: 8 * 1024 * 1024, ttlMs: 60_000, recompressAfterHits: 1 });
    const old = await quickPage(htmlBody(300, 7));
    cache.set('/b', old, cache.generation);
    cache.get('/b');
    // Past the queue's pause: brotli 11 on 300 KB is under way.
    await sleep(60);
    cache.purge(['article:1']);
    const fresh = await quickPage(htmlBody(30, 8));
    cache.set('/b', fresh, cache.generation);
    await cache.recompress?.drained();
    expect(cache.peek('/b')).toBe(fresh);
    expect(cache.peek('/b')?.grade).toBe('quick');
    expect(cache.recompress?.stats.replaced).toBe(0);

    // Purged and not rendered again: nothing comes back.
    const gone = await quickPage(htmlBody(20, 9), ['article:2']);
    cache.set('/c', gone, cache.generation);
    cache.get('/c');
    cache.purge(['article:2']);
    await cache.recompress?.drained();
    expect(cache.peek('/c')).toBeUndefined();
    cache.close();
  });

  it('holds a bounded number of waiting pages and runs one at a time', async () => {
    let running = 0;
    let most = 0;
    const pages = new Map<string, CachedPage>();
    const store = {
      peek: (url: string) => pages.get(url),
      replace: (url: string, old: CachedPage, update: (stored: CachedPage) => CachedPage) => {
        most = Math.max(most, running);
        if (pages.get(url) !== old) return false;
        pages.set(url, update(old));
        return true;
      },
    };
    const queue = new RecompressQueue(store, { max: 2, delayMs: 1 });
    for (const url of ['/1', '/2', '/3']) pages.set(url, await quickPage(htmlBody(5, url.length + Number(url[1]))));
    expect(queue.offer('/1', pages.get('/1') as CachedPage)).toBe(true);
    expect(queue.offer('/1', pages.get('/1') as CachedPage)).toBe(false);
    expect(queue.offer('/2', pages.get('/2') as CachedPage)).toBe(true);
    expect(queue.offer('/3', pages.get('/3') as CachedPage)).toBe(false);
    expect(queue.stats.dropped).toBe(1);
    running = 1;
    await queue.drained();
    expect(queue.stats.replaced).toBe(2);
    expect(most).toBe(1);
    queue.stop();
    expect(queue.offer('/3', pages.get('/3') as CachedPage)).toBe(false);
  });
});

describe.each(DIALECTS)('popular pages over HTTP on %s', (dialect) => {
  let h: CachedApp;
  let url: string;

  beforeAll(async () => {
    h = await createCachedApp(dialect, { recompressAfterHits: 2 });
    ({ url } = await makeArticle(h.t.db, { headline: 'Harbour plan passes', body: 'The harbour plan passed. '.repeat(200) }));
    await h.app.pageCache.sync();
  });
  afterAll(() => h.close());

  it('answers the first reader at once, then the recompressed bytes, with validators that still match', async () => {
    const br = { 'accept-encoding': 'gzip, deflate, br' };
    const miss = await h.app.inject({ url, headers: br });
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['content-encoding']).toBe('br');
    const plain = (await h.app.inject({ url, headers: { 'accept-encoding': 'identity' } })).rawPayload;
    expect(brotliDecompressSync(miss.rawPayload).equals(plain)).toBe(true);
    const quickTag = String(miss.headers.etag);
    expect(quickTag).toMatch(/-br"$/);

    await h.app.inject({ url, headers: br });
    await h.app.pageCache.store?.recompress?.drained();
    const hit = await h.app.inject({ url, headers: br });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers.etag).toMatch(/-br-best"$/);
    expect(hit.rawPayload.length).toBeLessThanOrEqual(miss.rawPayload.length);
    expect(Number(hit.headers['content-length'])).toBe(hit.rawPayload.length);
    expect(brotliDecompressSync(hit.rawPayload).equals(plain)).toBe(true);
    const gz = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true);

    // A client holding the first bytes' tag, or the new one, is told its copy is current.
    for (const tag of [quickTag, String(hit.headers.etag)]) {
      const again = await h.app.inject({ url, headers: { ...br, 'if-none-match': tag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
    const head = await h.app.inject({ method: 'HEAD', url, headers: br });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(hit.headers['content-length']);
    expect(head.headers.vary).toBe('Accept-Encoding');
  });
});
