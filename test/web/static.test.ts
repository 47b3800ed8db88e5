import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/media/image.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { makeImage } from '../helpers/images.js';

describe.each(DIALECTS)('health, assets and media on %s', (dialect) => {
  let h: TestApp;
  let html: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    const hero = await processImage(await makeImage({ width: 900, height: 600 }), h.app.gazette.mediaRoot);
    const a = await makeArticle(h.t.db, { heroAlt: 'A red circle', heroCaption: 'Caption', heroCredit: 'Credit' }, { hero });
    html = (await h.app.inject(`/politics/${a.slug}`)).body;
  });
  afterAll(() => h.close());

  it('/healthz answers 200 when the database answers', async () => {
    const res = await h.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves hashed assets with immutable caching, compressed when asked', async () => {
    const css = tags(html, 'link').find((l) => l.rel === 'stylesheet')!.href;
    const js = tags(html, 'script').find((s) => s.src)!.src;
    expect(css).toMatch(/^\/assets\/site\.[0-9a-f]{10}\.css$/);
    expect(js).toMatch(/^\/assets\/article\.[0-9a-f]{10}\.js$/);
    const plain = await h.app.inject({ url: css, headers: { 'accept-encoding': 'identity' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');

    const br = await h.app.inject({ url: js, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const jsText = brotliDecompressSync(br.rawPayload).toString();
    expect(jsText.length).toBeGreaterThan(100);
    // Reader JavaScript stays small.
    expect(br.rawPayload.length).toBeLessThan(15 * 1024);

    const gz = await h.app.inject({ url: js, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(jsText);
  });

  it('answers 404 for unknown or stale asset names', async () => {
    expect((await h.app.inject('/assets/site.0000000000.css')).statusCode).toBe(404);
    expect((await h.app.inject('/assets/site.css')).statusCode).toBe(404);
  });

  it('serves media variants with long caching and the right type', async () => {
    const picture = tags(html, 'source');
    const avif = picture.find((s) => s.type === 'image/avif')!.srcset.split(' ')[0];
    const webp = picture.find((s) => s.type === 'image/webp')!.srcset.split(' ')[0];
    const img = tags(html, 'img').find((i) => i.alt === 'A red circle')!;
    expect(img).toMatchObject({ width: '900', height: '600' });
    for (const [url, type] of [
      [avif, 'image/avif'],
      [webp, 'image/webp'],
      [img.src, 'image/jpeg'],
    ]) {
      const res = await h.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(String(res.headers['cache-control'])).toMatch(/max-age=31536000/);
      expect(String(res.headers['cache-control'])).toMatch(/immutable/);
    }
    // A 900-wide original gets 480, 800 and its own width; nothing wider than the original.
    expect(img.srcset.split(', ').map((s) => s.split(' ')[1])).toEqual(['480w', '800w', '900w']);
  });

  it('serves nothing outside the media folder', async () => {
    for (const url of ['/media/../secret.key', '/media/%2e%2e/secret.key', '/media/', '/media/nope.jpg']) {
      const res = await h.app.inject(url);
      expect(res.statusCode, url).toBe(404);
    }
  });
});
