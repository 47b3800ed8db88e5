import { AppError } from '../errors.js';
import { imageSharp } from './image.pool.js';

/** The largest image Gazette takes: per side, in all, and how long and thin it may be. */
export const MAX_SIDE = 12_000;
export const MAX_PIXELS = 40_000_000;
export const MAX_RATIO = 20;
/** The longest any one step of image work (a decode and resize, an encode) may take. */
export const IMAGE_TIMEOUT_SECONDS = 20;

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Refuses, from the header's width and height, an image too costly to decode: over 12,000 pixels
 * on a side, over 40 megapixels, or more than 20 times longer than it is wide (a 39,000,000 × 1
 * PNG passes a megapixel bound and still costs half a minute of CPU).
 */
export function checkImageSize(width: number, height: number): void {
  const size = `${fmt(width)} × ${fmt(height)} pixels`;
  const refuse = (why: string) => new AppError('image_too_large', `The image is ${size}: ${why}`, 'hero');
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw refuse(`each side may be at most ${fmt(MAX_SIDE)} pixels. Make it smaller and try again.`);
  }
  if (width * height > MAX_PIXELS) {
    throw refuse(`it may have at most ${MAX_PIXELS / 1_000_000} megapixels. Make it smaller and try again.`);
  }
  if (Math.max(width, height) > MAX_RATIO * Math.min(width, height)) {
    throw refuse(`its long side may be at most ${MAX_RATIO} times its short side. Crop it and try again.`);
  }
}

const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'heif', 'gif']);

const unreadable = () => new AppError('invalid_image', 'The file is not an image Gazette can read (JPEG, PNG, WebP, AVIF or GIF).', 'hero');

/**
 * Reads what the bytes really are (not what the file name says) and how large they are, from the
 * header alone (nothing is decoded); throws a 422 for anything else or anything too large.
 */
export async function inspectImage(input: Buffer): Promise<{ format: string; width: number; height: number }> {
  let meta: Awaited<ReturnType<ReturnType<ReturnType<typeof imageSharp>>['metadata']>>;
  try {
    meta = await imageSharp()(input, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable();
  }
  const format = meta.format ?? '';
  if (!ACCEPTED.has(format) || !meta.width || !meta.height) {
    throw new AppError('invalid_image', `Unsupported image type "${format || 'unknown'}": use JPEG, PNG, WebP, AVIF or GIF.`, 'hero');
  }
  checkImageSize(meta.width, meta.height);
  const rotated = (meta.orientation ?? 1) >= 5;
  return { format, width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height };
}
