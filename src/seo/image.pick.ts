import { mediaUrl } from '../articles/article.urls.js';
import type { MediaView } from '../media/media.service.js';
import type { Variant } from '../media/media.table.js';

/** The JPEG variant feeds and sitemaps point at: the widest up to `maxWidth` (else the narrowest). */
export function bestJpeg(media: Pick<MediaView, 'variants'>, maxWidth = 1600): Variant | undefined {
  const jpegs = media.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  return jpegs.filter((v) => v.width <= maxWidth).pop() ?? jpegs[0];
}

/** Absolute URL of an image variant. */
export const absoluteMediaUrl = (origin: string, v: Variant) => `${origin}${mediaUrl(v.path)}`;

/** Makes the root-relative links and images of sanitised HTML absolute, for feed readers. */
export function absolutizeHtml(html: string, origin: string): string {
  // Sanitised HTML always quotes attributes with double quotes.
  return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${origin}/`);
}
