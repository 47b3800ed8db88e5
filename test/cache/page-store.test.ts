import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressPage } from '../../src/cache/cache.store.plugin.js';
import { etagMatches, etagOf, pickEncoding } from '../../src/cache/hit.http.js';
import { ALL, PURGE_RULES } from '../../src/cache/keys.js';
import { type CachedPage, PageCache } from '../../src/cache/page.cache.js';

function page(keys: string[], bytes = 100): CachedPage {
  const body = Buffer.alloc(bytes, 'a');
  return { body, br: body, gzip: body, etag: '"abc"', contentType: 'text/html', cacheControl: 'public', keys, storedAt: 0 };
}

describe('page store', () => {
  it('purges by key exactly, and everything with *', () => {
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000 });
    cache.set('/a', page(['article:1', 'section:1']), 0);
    cache.set('/b', page(['article:2', 'section:1']), 0);
    cache.set('/c', page(['article:3']), 0);
    expect(cache.purge(['article:2'])).toBe(1);
    expect(cache.urls().sort()).toEqual(['/a', '/c']);
    expect(cache.purge(['section:1', 'nothing'])).toBe(1);
    expect(cache.urls()).toEqual(['/c']);
    expect(cache.purge([ALL])).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('stays within its byte budget, dropping the least recently used', () => {
    const cache = new PageCache({ maxBytes: 10_000, ttlMs: 60_000 });
    for (let i = 0; i < 50; i++) cache.set(`/p${i}`, page([`article:${i}`], 1000), 0);
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.has('/p49')).toBe(true);
    expect(cache.has('/p0')).toBe(false);
    // The key index forgets evicted pages too.
    expect(cache.purge(['article:0'])).toBe(0);
  });

  it('refuses to store a render that a purge overtook', () => {
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000 });
    const startedAt = cache.generation;
    cache.purge(['article:9']);
    expect(cache.set('/stale', page(['article:9']), startedAt)).toBe(false);
    expect(cache.set('/fresh', page(['article:9']), cache.generation)).toBe(true);
  });

  it('compresses a body once while renders of the same page run together', async () => {
    const body = Buffer.from('<p>breaking</p>'.repeat(500));
    const first = compressPage(body);
    const second = compressPage(Buffer.from(body), etagOf(body));
    expect(second).toBe(first);
    const other = compressPage(Buffer.from('<p>other</p>'));
    expect(other).not.toBe(first);
    const { br, gzip } = await first;
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    // Once done, a later render compresses afresh (nothing is kept here: the page cache keeps pages).
    expect(compressPage(body)).not.toBe(first);
  });

  it('keeps a page no longer than the max-age its route declared', async () => {
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000 });
    cache.set('/news-sitemap.xml', { ...page(['sitemaps']), ttlMs: 40 }, 0);
    cache.set('/long', { ...page(['article:1']), ttlMs: 10 * 60_000 }, 0);
    cache.set('/plain', page(['article:2']), 0);
    expect(cache.has('/news-sitemap.xml')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.get('/news-sitemap.xml')).toBeUndefined();
    expect(cache.has('/long')).toBe(true);
    expect(cache.has('/plain')).toBe(true);
  });

  it('matches validators of every encoding and picks encodings by q-value', () => {
    expect(etagMatches('"abc-br"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc", "x"', '"abc"')).toBe(true);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });

  it('has a purge rule for every event type the application records', () => {
    const source = readFileSync('src/events.ts', 'utf8');
    const union = /export type EventType =([\s\S]*?);/.exec(source)?.[1] ?? '';
    const types = [...union.matchAll(/'([a-z_.]+)'/g)].map((m) => m[1]);
    expect(types.length).toBeGreaterThan(5);
    expect(types.filter((t) => !(t in PURGE_RULES))).toEqual([]);
  });
});
