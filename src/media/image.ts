import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { storeAt } from '../storage/storage.js';
import type { Store } from '../storage/storage.types.js';
import { IMAGE_TIMEOUT_SECONDS, inspectImage, MAX_PIXELS } from './image.bounds.js';
import { imagePool, imageSharp } from './image.pool.js';
import type { Variant } from './media.table.js';

export { inspectImage };

export const VARIANT_WIDTHS = [480, 800, 1200, 1600];

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
const baseName = (v: Variant) => v.path.split('/').pop() as string;

/** The widths to make for an original `width` pixels wide: the listed ones below it, and the original itself when it is not larger than the largest. */
function widthsFor(width: number, wanted: number[]): number[] {
  const widths = wanted.filter((w) => w < width);
  if (widths.length === 0 || width <= Math.max(...wanted)) widths.push(width);
  return [...new Set(widths)].sort((a, b) => a - b);
}

/** Variants already stored (the media folder or the bucket mounted there); undefined if any is missing. */
async function existingVariants(store: Store, hash: string, widths: number[], ratio: number): Promise<Variant[] | undefined> {
  const variants: Variant[] = [];
  for (const width of widths) {
    for (const format of FORMATS) {
      const name = fileName(width, format);
      const info = await store.head(`${mediaDir(hash)}/${name}`);
      if (!info) return undefined;
      variants.push({ format, width, height: Math.round(width * ratio), path: `${mediaDir(hash)}/${name}`, bytes: info.size });
    }
  }
  return variants;
}

/** An image checked and encoded, its new files (if it needed any) waiting in `staged` until placeImage. */
export interface PreparedImage {
  image: ProcessedImage;
  staged?: string;
}

/**
 * Validates an image (header first: type, size per side, megapixels, proportions), then, unless
 * its variants are on disk already, strips its metadata by re-encoding and writes AVIF, WebP and
 * JPEG variants at several widths into a folder of their own. The encoding waits its turn in the
 * image pool and each step is time-limited.
 */
export async function prepareImage(input: Buffer, mediaRoot: string, opts: ProcessOptions = {}): Promise<PreparedImage> {
  const info = await inspectImage(input);
  const hash = createHash('sha256').update(input).digest('hex');
  const widths = widthsFor(info.width, opts.widths ?? VARIANT_WIDTHS);
  const image = (variants: Variant[]): ProcessedImage => ({
    hash,
    mime: `image/${info.format === 'heif' ? 'avif' : info.format}`,
    width: info.width,
    height: info.height,
    bytes: input.length,
    variants,
    fresh: false,
  });
  const onDisk = await existingVariants(storeAt(mediaRoot), hash, widths, info.height / info.width);
  if (onDisk) return { image: image(onDisk) };

  const staged = join(mediaRoot, `${mediaDir(hash)}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    const variants = await imagePool.run(async () => {
      await mkdir(staged, { recursive: true });
      // Decode and orient once; each variant resizes a clone. The three formats of a width encode in parallel.
      const source = imageSharp()(input, { limitInputPixels: MAX_PIXELS }).rotate();
      const made: Variant[] = [];
      for (const width of widths) {
        const height = Math.round((info.height * width) / info.width);
        const encoded = await Promise.all(
          FORMATS.map(async (format) => {
            const pipeline = source.clone().resize({ width }).timeout({ seconds: IMAGE_TIMEOUT_SECONDS });
            const out =
              format === 'avif'
                ? pipeline.avif({ quality: 55, effort: opts.avifEffort ?? 2 })
                : format === 'webp'
                  ? pipeline.webp({ quality: 78 })
                  : pipeline.jpeg({ quality: 80, mozjpeg: true, progressive: true });
            const buffer = await out.toBuffer();
            await writeFile(join(staged, fileName(width, format)), buffer);
            return { format, width, height, path: `${mediaDir(hash)}/${fileName(width, format)}`, bytes: buffer.length };
          }),
        );
        made.push(...encoded);
      }
      return made;
    });
    return { image: image(variants), staged };
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    if (/timeout/i.test(String((error as Error)?.message))) {
      throw new AppError('invalid_image', `The image took too long to process (over ${IMAGE_TIMEOUT_SECONDS} s): make it smaller.`, 'hero');
    }
    throw new AppError('invalid_image', 'The image could not be processed: the file looks damaged.', 'hero');
  }
}

/**
 * Moves staged files into the image's folder (beside any other widths already there) and tells
 * whether every variant is now on disk. Callers that share files between library rows call it
 * under lockMediaFiles.
 */
export async function placeImage(mediaRoot: string, prepared: PreparedImage): Promise<boolean> {
  const { image, staged } = prepared;
  // The media folder, or the shared bucket mounted over it (src/storage).
  const store = storeAt(mediaRoot);
  if (staged) image.fresh = await store.putFolder(mediaDir(image.hash), staged, image.variants.map(baseName));
  for (const v of image.variants) if (!(await store.head(v.path))) return false;
  return true;
}

/** Removes what prepareImage staged and placeImage did not use. */
export async function discardImage(prepared: PreparedImage): Promise<void> {
  if (prepared.staged) await rm(prepared.staged, { recursive: true, force: true });
}

/** prepareImage and placeImage in one, for callers that store files no one else removes meanwhile (publishing, the demo). */
export async function processImage(input: Buffer, mediaRoot: string, opts: ProcessOptions = {}): Promise<ProcessedImage> {
  const prepared = await prepareImage(input, mediaRoot, opts);
  try {
    if (!(await placeImage(mediaRoot, prepared))) {
      throw new AppError('invalid_image', 'The image could not be stored: please try again.', 'hero');
    }
    return prepared.image;
  } finally {
    await discardImage(prepared);
  }
}
