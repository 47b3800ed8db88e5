import type Sharp from 'sharp';
import { lazy } from '../lazy.js';

const sharp = lazy<typeof Sharp>('sharp');

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

/** Cuts a crop from an image, keeping its most interesting part (sharp's attention strategy); JPEG, no metadata. */
export async function cropImage(input: Buffer, crop: CropName): Promise<Buffer> {
  const { width, height } = CROPS[crop];
  return sharp()(input, { limitInputPixels: 40_000_000 })
    .rotate()
    .resize({ width, height, fit: 'cover', position: sharp().strategy.attention })
    .jpeg({ quality: 80, mozjpeg: true, progressive: true })
    .toBuffer();
}

/** A square PNG of an SVG drawing (the publisher logo structured data asks for). */
export async function rasterizeSvg(svg: Buffer, size: number): Promise<Buffer> {
  return sharp()(svg, { density: 300 }).resize({ width: size, height: size, fit: 'contain' }).png().toBuffer();
}
