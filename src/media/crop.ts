import { IMAGE_TIMEOUT_SECONDS, MAX_PIXELS } from './image.bounds.js';
import { imagePool, imageSharp } from './image.pool.js';

const sharp = imageSharp;

/**
 * The crops that search engines and social networks show for an article: 16:9, 4:3 and 1:1,
 * each 1200 px wide (well above the 50,000-pixel minimum for structured data).
 */
export const CROPS = {
  '16x9': { width: 1200, height: 675 },
  '4x3': { width: 1200, height: 900 },
  '1x1': { width: 1200, height: 1200 },
} as const;

export type CropName = keyof typeof CROPS;

export const isCropName = (name: string): name is CropName => Object.hasOwn(CROPS, name);

/**
 * Cuts a crop from an image, keeping its most interesting part (sharp's attention strategy); JPEG,
 * no metadata. Waits its turn in the image pool, time-limited like every image job.
 */
export async function cropImage(input: Buffer, crop: CropName): Promise<Buffer> {
  const { width, height } = CROPS[crop];
  return imagePool.run(() =>
    sharp()(input, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize({ width, height, fit: 'cover', position: sharp().strategy.attention })
      .jpeg({ quality: 80, mozjpeg: true, progressive: true })
      .timeout({ seconds: IMAGE_TIMEOUT_SECONDS })
      .toBuffer(),
  );
}
