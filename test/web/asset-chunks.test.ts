import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';

/** The chunks a built entry loads with import() (scripts/build-client.mjs), by the name it asks for. */
const chunksOf = (js: string) => [...new Set([...js.matchAll(/\.\/(chunk-[A-Z0-9]{8}\.js)/g)].map((m) => m[1]))];

describe('the article page script and the chunks it loads when needed', () => {
  let h: TestApp;
  let entry: string;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    const a = await makeArticle(h.t.db, { headline: 'Chunks on demand' });
    const html = (await h.app.inject(`/politics/${a.slug}`)).body;
    entry = tags(html, 'script').find((s) => s.src?.includes('/article.'))!.src;
  });
  afterAll(() => h.close());

  it('serves every chunk the entry asks for under that name, cached for good, and the entry waits for none of them', async () => {
    const js = (await h.app.inject({ url: entry, headers: { 'accept-encoding': 'identity' } })).body;
    const chunks = chunksOf(js);
    expect(chunks.length).toBeGreaterThan(0);
    // Every chunk is loaded by import() when needed, none by a static import the page would wait for.
    expect(js.match(/\.\/chunk-/g)?.length).toBe(js.match(/import\("\.\/chunk-/g)?.length);
    let compressed = (await h.app.inject({ url: entry, headers: { 'accept-encoding': 'br' } })).rawPayload.length;
    for (const chunk of chunks) {
      // The entry's own address is /assets/article.<hash>.js: ./chunk-… resolves next to it.
      const url = new URL(`./${chunk}`, `http://x${entry}`).pathname;
      const plain = await h.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.statusCode, url).toBe(200);
      expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.body.length).toBeGreaterThan(50);
      const br = await h.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(br.headers['content-encoding']).toBe('br');
      compressed += br.rawPayload.length;
    }
    // Reader JavaScript stays small, counting what is loaded later.
    expect(compressed).toBeLessThan(15 * 1024);
  });

  it('answers 404 for a chunk that was not built', async () => {
    expect((await h.app.inject('/assets/chunk-AAAAAAAA.js')).statusCode).toBe(404);
  });
});
