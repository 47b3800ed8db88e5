import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/** A test picture: a gradient-ish block of colour, optionally carrying EXIF metadata (camera, GPS-like text). */
export async function makeImage(
  opts: { width?: number; height?: number; format?: 'jpeg' | 'png' | 'webp' | 'avif'; exif?: boolean } = {},
): Promise<Buffer> {
  const { width = 1600, height = 900, format = 'jpeg' } = opts;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#0b3954"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#ff5a5f"/></svg>`;
  let img = sharp(Buffer.from(svg));
  if (opts.exif) {
    img = img.withExif({
      IFD0: { Artist: 'Secret Photographer', Copyright: 'Private', Make: 'TestCam', ImageDescription: 'GPS 40.7,-74.0' },
    });
  }
  return img.toFormat(format).toBuffer();
}

export async function writeImage(path: string, opts: Parameters<typeof makeImage>[0] = {}): Promise<void> {
  await writeFile(path, await makeImage(opts));
}
