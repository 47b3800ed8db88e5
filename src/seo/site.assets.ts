import { createHash } from 'node:crypto';
import type { SiteSettings } from '../settings/settings.service.js';

/** The colour of the drawn icons and images, the manifest's theme and the browser's toolbar tint. */
export const THEME_COLOR = '#14213d';
export const BACKGROUND_COLOR = '#ffffff';

/** Fixed sizes of the site's generated images. */
export const APPLE_TOUCH_SIZE = 180;
export const MANIFEST_ICON_SIZES = [192, 512] as const;
export const ARTWORK_SIZE = 1400;
export const ARTWORK_MAX = 3000;
export const SITE_IMAGE = { width: 1200, height: 630 } as const;
export const PUBLISHER_LOGO_SIZE = 512;

/** Public paths of the site's icons and images (each also answers with a `?v=` query). */
export const SITE_PATHS = {
  favicon: '/favicon.ico',
  appleTouch: '/apple-touch-icon.png',
  icon192: '/icon-192.png',
  icon512: '/icon-512.png',
  manifest: '/manifest.webmanifest',
  artwork: '/podcast-artwork.jpg',
  siteImage: '/site-image.jpg',
  /** The publisher's logo in structured data: the site's icon (its uploaded logo, else its initials). */
  publisherLogo: '/publisher-logo.png',
} as const;

/** Bumped when the drawings change, so that browsers and CDNs fetch the new images. */
const DRAWING = 1;

const versions = new WeakMap<SiteSettings, string>();

/**
 * A short hash of everything the icons and images are made from (the site name, the logo, the
 * uploaded artwork and site image). Head links carry it as `?v=`, so a changed setting is a new
 * address that no browser or CDN holds yet.
 */
export function siteImageVersion(s: SiteSettings): string {
  let v = versions.get(s);
  if (!v) {
    const basis = JSON.stringify([DRAWING, s.siteName, s.logo?.mediaId ?? 0, s.podcastArtwork?.mediaId ?? 0, s.siteImage?.mediaId ?? 0]);
    v = createHash('sha256').update(basis).digest('hex').slice(0, 10);
    versions.set(s, v);
  }
  return v;
}

/** A site path with the current version, e.g. /favicon.ico?v=3f2a… */
export const versioned = (s: SiteSettings, path: string) => `${path}?v=${siteImageVersion(s)}`;

const ARTICLES = new Set(['the', 'a', 'an', 'le', 'la', 'les', 'der', 'die', 'das', 'el', 'il']);

/** One or two letters for an icon: "The Gazette" → "G", "Harbor City News" → "HC". */
export function initials(name: string): string {
  const words = name.split(/[\s\-\u2013\u2014_/.]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const kept = words.length > 1 ? words.filter((w, i) => i > 0 || !ARTICLES.has(w.toLowerCase())) : words;
  const letters = kept.slice(0, 2).map((w) => [...(w.match(/[\p{L}\p{N}]/u)?.[0] ?? '')][0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

/** The manifest's short_name: the name when it fits a home screen (12 characters), else a shorter form. */
export function shortName(name: string): string {
  if ([...name].length <= 12) return name;
  const bare = name.replace(/^(the|a|an)\s+/i, '');
  if ([...bare].length <= 12) return bare;
  // As many leading words as fit: "Harbor City Evening Ledger" → "Harbor City".
  let kept = '';
  for (const word of bare.split(/\s+/)) {
    const next = kept ? `${kept} ${word}` : word;
    if ([...next].length > 12) break;
    kept = next;
  }
  return kept || initials(name);
}
