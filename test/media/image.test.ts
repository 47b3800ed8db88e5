import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { mediaDir, processImage } from '../../src/media/image.js';
import { makeImage } from '../helpers/images.js';

const root = mkdtempSync(join(tmpdir(), 'gazette-media-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('processImage', () => {
  it('makes AVIF, WebP and JPEG variants at each width below the original, without metadata', async () => {
    const image = await processImage(await makeImage({ width: 1300, height: 700, exif: true }), root);
    expect(image).toMatchObject({ mime: 'image/jpeg', width: 1300, height: 700, fresh: true });
    expect(image.variants.map((v) => `${v.width}.${v.format}`)).toEqual([
      '480.avif',
      '480.webp',
      '480.jpeg',
      '800.avif',
      '800.webp',
      '800.jpeg',
      '1200.avif',
      '1200.webp',
      '1200.jpeg',
      '1300.avif',
      '1300.webp',
      '1300.jpeg',
    ]);
    for (const v of image.variants) {
      const meta = await sharp(join(root, v.path)).metadata();
      expect(meta.width).toBe(v.width);
      expect(meta.height).toBe(v.height);
      expect(meta.format).toBe(v.format === 'avif' ? 'heif' : v.format);
      expect(meta.exif, v.path).toBeUndefined();
    }
  });

  it('never makes a variant wider than a large original', async () => {
    const image = await processImage(await makeImage({ width: 2400, height: 1200, format: 'png' }), root);
    expect([...new Set(image.variants.map((v) => v.width))]).toEqual([480, 800, 1200, 1600]);
    expect(image.mime).toBe('image/png');
  });

  it('accepts WebP and AVIF originals', async () => {
    expect((await processImage(await makeImage({ width: 500, height: 300, format: 'webp' }), root)).mime).toBe('image/webp');
    expect((await processImage(await makeImage({ width: 500, height: 300, format: 'avif' }), root)).mime).toBe('image/avif');
  });

  it('stores the same picture once and reuses its files', async () => {
    const bytes = await makeImage({ width: 640, height: 360 });
    const first = await processImage(bytes, root);
    const again = await processImage(bytes, root);
    expect(again.fresh).toBe(false);
    expect(again.variants).toEqual(first.variants);
    // Other widths for the same picture add files beside the ones in use.
    const other = await processImage(bytes, root, { widths: [320] });
    expect(other.variants.map((v) => v.width)).toEqual([320, 320, 320]);
    expect(readdirSync(join(root, mediaDir(first.hash))).sort()).toEqual(
      ['320.avif', '320.jpg', '320.webp', '480.avif', '480.jpg', '480.webp', '640.avif', '640.jpg', '640.webp'].sort(),
    );
  });

  it('refuses what is not an image, leaving no file behind', async () => {
    const files = () => readdirSync(root, { recursive: true }).filter((f) => /\.\w+$/.test(String(f))).length;
    const before = files();
    for (const bytes of [
      Buffer.from('plain text, not a picture'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.alloc(0),
    ]) {
      const error = await processImage(bytes, root).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(422);
      expect(error.field).toBe('hero');
    }
    const truncated = (await makeImage({ width: 800, height: 600 })).subarray(0, 400);
    expect(await processImage(truncated, root).catch((e) => e)).toBeInstanceOf(AppError);
    expect(files()).toBe(before);
  });
});
