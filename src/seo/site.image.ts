import type Sharp from 'sharp';
import { lazy } from '../lazy.js';
import { initials, THEME_COLOR } from './site.assets.js';

const sharp = lazy<typeof Sharp>('sharp');

/** Drawings of the site's icons and images (an SVG rasterised by sharp), and the ICO container for the favicon. */

const FONT = "Georgia, 'DejaVu Serif', 'Liberation Serif', serif";
const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Words into lines of at most `width` characters (a longer word is cut). */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const chars = [...word];
    const last = lines.at(-1);
    if (last !== undefined && [...last].length + 1 + chars.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else for (let i = 0; i < chars.length; i += width) lines.push(chars.slice(i, i + width).join(''));
  }
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${[...lines[maxLines - 1]].slice(0, width - 1).join('')}…`;
  }
  return lines;
}

/** Lines of text centred around `cy`, in white serif. */
function textBlock(lines: string[], cx: number, cy: number, size: number): string {
  const lead = size * 1.2;
  const top = cy - ((lines.length - 1) * lead) / 2 + size * 0.35;
  return lines
    .map(
      (line, i) =>
        `<text x="${cx}" y="${Math.round(top + i * lead)}" text-anchor="middle" font-family="${FONT}" font-size="${Math.round(size)}" font-weight="700" fill="#fff">${xml(line)}</text>`,
    )
    .join('');
}

const svg = (w: number, h: number, body: string) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="${THEME_COLOR}"/>${body}</svg>`,
  );

/** The site's initials on its colour, full bleed (safe as a maskable icon: the letters stay in the middle 60 %). */
export function iconSvg(name: string, size: number): Buffer {
  const letters = initials(name);
  const fontSize = size * ([...letters].length > 1 ? 0.42 : 0.58);
  return svg(size, size, textBlock([letters], size / 2, size / 2, fontSize));
}

/** Square podcast artwork: the initials large, the site name under them. */
export function artworkSvg(name: string, size: number): Buffer {
  const lines = wrap(name, 18, 2);
  const nameSize = size * 0.075;
  return svg(
    size,
    size,
    textBlock([initials(name)], size / 2, size * 0.42, size * 0.34) +
      `<rect x="${size * 0.3}" y="${Math.round(size * 0.62)}" width="${size * 0.4}" height="${Math.round(size * 0.008)}" fill="#fff" opacity="0.6"/>` +
      textBlock(lines, size / 2, size * 0.76, nameSize),
  );
}

/** A link-preview image: the site name, large, on the site's colour. */
export function bannerSvg(name: string, width: number, height: number): Buffer {
  const lines = wrap(name, 20, 3);
  const size = height * (lines.length === 1 ? 0.17 : lines.length === 2 ? 0.14 : 0.11);
  return svg(
    width,
    height,
    `<rect x="0" y="${height - Math.round(height * 0.04)}" width="${width}" height="${Math.round(height * 0.04)}" fill="#9b1c1c"/>` +
      textBlock(lines, width / 2, height * 0.48, size),
  );
}

/** PNG of a square drawing. */
export async function pngOf(drawing: Buffer, size: number): Promise<Buffer> {
  return sharp()(drawing, { density: 72 }).resize(size, size).png().toBuffer();
}

/** JPEG of a drawing at its own size. */
export async function jpegOf(drawing: Buffer): Promise<Buffer> {
  return sharp()(drawing, { density: 72 }).flatten({ background: THEME_COLOR }).jpeg({ quality: 88, mozjpeg: true }).toBuffer();
}

/** An uploaded image cut to exactly width × height (sharp's attention crop), JPEG without metadata. */
export async function coverJpeg(source: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp()(source, { limitInputPixels: 60_000_000 })
    .rotate()
    .resize({ width, height, fit: 'cover', position: sharp().strategy.attention })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 88, mozjpeg: true })
    .toBuffer();
}

/** The logo, whole, in the middle of a white width × height tile (icons and images of a site with a logo). */
export async function logoTile(logo: Buffer, width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const inner = await sharp()(logo, { limitInputPixels: 60_000_000 })
    .rotate()
    .resize({ width: Math.round(width * 0.8), height: Math.round(height * 0.7), fit: 'inside' })
    .png()
    .toBuffer();
  const tile = sharp()({ create: { width, height, channels: 3, background: '#ffffff' } }).composite([{ input: inner, gravity: 'centre' }]);
  return format === 'png' ? tile.png().toBuffer() : tile.jpeg({ quality: 88, mozjpeg: true }).toBuffer();
}

/**
 * An ICO file holding PNG images (allowed since Windows Vista, read by every current browser):
 * a 6-byte header, a 16-byte entry per image, then the PNGs themselves.
 */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((img, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(img.size >= 256 ? 0 : img.size, at);
    header.writeUInt8(img.size >= 256 ? 0 : img.size, at + 1);
    header.writeUInt8(0, at + 2);
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(img.png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += img.png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}
