import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Sharp from 'sharp';
import { AppError } from '../errors.js';
import { lazy } from '../lazy.js';
import type { Variant } from './media.table.js';

const sharp = lazy<typeof Sharp>('sharp');

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
  let meta: Awaited<ReturnType<ReturnType<typeof Sharp>['metadata']>>;
  try {
    meta = await sharp()(input, { limitInputPixels: MAX_PIXELS }).metadata();
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

export interface ProcessOptions {
  /** Variant widths (never wider than the original); default VARIANT_WIDTHS. */
  widths?: number[];
  /** AVIF encoder effort, 0 (fastest) to 9 (smallest); default 2. */
  avifEffort?: number;
}

const FORMATS = ['avif', 'webp', 'jpeg'] as const;
const fileName = (width: number, format: Variant['format']) => `${width}.${format === 'jpeg' ? 'jpg' : format}`;

/** The widths to make for an original `width` pixels wide: the listed ones below it, and the original itself when it is not larger than the largest. */
function widthsFor(width: number, wanted: number[]): number[] {
  const widths = wanted.filter((w) => w < width);
  if (widths.length === 0 || width <= Math.max(...wanted)) widths.push(width);
  return [...new Set(widths)].sort((a, b) => a - b);
}

/** Variants already on disk (a folder is moved into place only when complete); undefined if any is missing. */
async function existingVariants(dir: string, hash: string, widths: number[], ratio: number): Promise<Variant[] | undefined> {
  const variants: Variant[] = [];
  for (const width of widths) {
    for (const format of FORMATS) {
      const name = fileName(width, format);
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (!info) return undefined;
      variants.push({ format, width, height: Math.round(width * ratio), path: `${mediaDir(hash)}/${name}`, bytes: info.size });
    }
  }
  return variants;
}

/**
 * Validates an image, strips its metadata (EXIF, GPS, ICC names) by re-encoding, and writes
 * AVIF, WebP and JPEG variants at several widths. Files go to a temporary folder first and are
 * moved into place at the end, so a failure leaves nothing half-written.
 */
export async function processImage(input: Buffer, mediaRoot: string, opts: ProcessOptions = {}): Promise<ProcessedImage> {
  const info = await inspectImage(input);
  const hash = createHash('sha256').update(input).digest('hex');
  const finalDir = join(mediaRoot, mediaDir(hash));
  const widths = widthsFor(info.width, opts.widths ?? VARIANT_WIDTHS);
  const result = (variants: Variant[], fresh: boolean): ProcessedImage => ({
    hash,
    mime: `image/${info.format === 'heif' ? 'avif' : info.format}`,
    width: info.width,
    height: info.height,
    bytes: input.length,
    variants,
    fresh,
  });
  const onDisk = await existingVariants(finalDir, hash, widths, info.height / info.width);
  if (onDisk) return result(onDisk, false);

  const tmpDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(tmpDir, { recursive: true });
    // Decode and orient once; each variant resizes a clone. The three formats of a width encode in parallel.
    const source = sharp()(input, { limitInputPixels: MAX_PIXELS }).rotate();
    const variants: Variant[] = [];
    for (const width of widths) {
      const height = Math.round((info.height * width) / info.width);
      const encoded = await Promise.all(
        FORMATS.map(async (format) => {
          const pipeline = source.clone().resize({ width });
          const out =
            format === 'avif'
              ? pipeline.avif({ quality: 55, effort: opts.avifEffort ?? 2 })
              : format === 'webp'
                ? pipeline.webp({ quality: 78 })
                : pipeline.jpeg({ quality: 80, mozjpeg: true, progressive: true });
          const buffer = await out.toBuffer();
          await writeFile(join(tmpDir, fileName(width, format)), buffer);
          return { format, width, height, path: `${mediaDir(hash)}/${fileName(width, format)}`, bytes: buffer.length };
        }),
      );
      variants.push(...encoded);
    }
    const existed = await stat(finalDir).then(
      () => true,
      () => false,
    );
    if (existed) {
      // The same picture stored before with other widths: add these files beside the ones in use.
      for (const v of variants) await rename(join(tmpDir, v.path.split('/').pop()!), join(finalDir, v.path.split('/').pop()!));
      await rm(tmpDir, { recursive: true, force: true });
    } else {
      await rename(tmpDir, finalDir);
    }
    return result(variants, !existed);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_image', 422, 'The image could not be processed: the file looks damaged.', 'hero');
  }
}
