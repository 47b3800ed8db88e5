import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import type { Variant } from './media.table.js';

export const VARIANT_WIDTHS = [480, 800, 1200, 1600];
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'heif', 'gif']);
const MAX_PIXELS = 40_000_000;

export interface ProcessedImage {
  hash: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  variants: Variant[];
  /** True when this call wrote the files (they were not on disk before). */
  fresh: boolean;
}

/** Reads what the bytes really are (not what the file name says); throws a 422 for anything else. */
export async function inspectImage(input: Buffer): Promise<{ format: string; width: number; height: number }> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch {
    throw new AppError('invalid_image', 422, 'The file is not an image Gazette can read (JPEG, PNG, WebP, AVIF or GIF).', 'hero');
  }
  const format = meta.format ?? '';
  if (!ACCEPTED.has(format) || !meta.width || !meta.height) {
    throw new AppError('invalid_image', 422, `Unsupported image type "${format || 'unknown'}": use JPEG, PNG, WebP, AVIF or GIF.`, 'hero');
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return { format, width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height };
}

/** Where the variants of an image live, relative to the media folder. */
export const mediaDir = (hash: string) => join(hash.slice(0, 2), hash);

/**
 * Validates an image, strips its metadata (EXIF, GPS, ICC names) by re-encoding, and writes
 * AVIF, WebP and JPEG variants at several widths. Files go to a temporary folder first and are
 * moved into place at the end, so a failure leaves nothing half-written.
 */
export async function processImage(input: Buffer, mediaRoot: string): Promise<ProcessedImage> {
  const info = await inspectImage(input);
  const hash = createHash('sha256').update(input).digest('hex');
  const finalDir = join(mediaRoot, mediaDir(hash));
  const widths = VARIANT_WIDTHS.filter((w) => w < info.width);
  if (widths.length === 0 || info.width <= VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]) widths.push(info.width);
  const variants: Variant[] = [];
  const exists = await stat(finalDir).then(
    () => true,
    () => false,
  );
  const tmpDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  const outDir = exists ? finalDir : tmpDir;
  try {
    await mkdir(outDir, { recursive: true });
    for (const width of [...new Set(widths)].sort((a, b) => a - b)) {
      const height = Math.round((info.height * width) / info.width);
      for (const format of ['avif', 'webp', 'jpeg'] as const) {
        const name = `${width}.${format === 'jpeg' ? 'jpg' : format}`;
        const pipeline = sharp(input, { limitInputPixels: MAX_PIXELS }).rotate().resize({ width });
        const encoded =
          format === 'avif'
            ? pipeline.avif({ quality: 55, effort: 2 })
            : format === 'webp'
              ? pipeline.webp({ quality: 78 })
              : pipeline.jpeg({ quality: 80, mozjpeg: true, progressive: true });
        const buffer = await encoded.toBuffer();
        if (!exists) await writeFile(join(outDir, name), buffer);
        variants.push({ format, width, height, path: `${mediaDir(hash)}/${name}`, bytes: buffer.length });
      }
    }
    if (!exists) await rename(tmpDir, finalDir);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_image', 422, 'The image could not be processed: the file looks damaged.', 'hero');
  }
  return {
    hash,
    mime: `image/${info.format === 'heif' ? 'avif' : info.format}`,
    width: info.width,
    height: info.height,
    bytes: input.length,
    variants,
    fresh: !exists,
  };
}
