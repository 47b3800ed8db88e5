import { invalid } from '../errors.js';
import type { SiteSettings } from '../settings/settings.service.js';

export type SiteSettingsForm = Record<
  'siteName' | 'siteDescription' | 'siteUrl' | 'locale' | 'timeZone' | 'wordsPerMinute' | 'podcastOwnerEmail' | 'websubHub',
  string
>;

export const settingsForm = (s: SiteSettings): SiteSettingsForm => ({
  siteName: s.siteName,
  siteDescription: s.siteDescription,
  siteUrl: s.siteUrl,
  locale: s.locale,
  timeZone: s.timeZone,
  wordsPerMinute: String(s.wordsPerMinute),
  podcastOwnerEmail: s.podcastOwnerEmail,
  websubHub: s.websubHub,
});

function validLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 1;
  } catch {
    return false;
  }
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The site settings a form asks for, checked; throws a 422 naming the field at fault. */
export function checkSiteSettings(f: SiteSettingsForm): Partial<SiteSettings> {
  const siteName = f.siteName.trim();
  if (!siteName || siteName.length > 100) throw invalid('The site name has 1 to 100 characters.', 'siteName');
  const siteDescription = f.siteDescription.trim();
  if (siteDescription.length > 300) throw invalid('The description has at most 300 characters.', 'siteDescription');
  const siteUrl = f.siteUrl.trim().replace(/\/+$/, '');
  if (siteUrl && !/^https?:\/\/[^\s/]+$/.test(siteUrl)) {
    throw invalid('The public address is an origin such as https://news.example.org (or empty).', 'siteUrl');
  }
  const locale = f.locale.trim();
  if (!validLocale(locale)) throw invalid(`"${locale}" is not a locale this server knows (e.g. en-US, en-GB, fr-FR).`, 'locale');
  const timeZone = f.timeZone.trim();
  if (!validZone(timeZone)) throw invalid(`"${timeZone}" is not a time zone (e.g. Europe/London, America/New_York, UTC).`, 'timeZone');
  const wordsPerMinute = Number(f.wordsPerMinute);
  if (!Number.isInteger(wordsPerMinute) || wordsPerMinute < 50 || wordsPerMinute > 1000) {
    throw invalid('Words per minute is a whole number from 50 to 1000.', 'wordsPerMinute');
  }
  const podcastOwnerEmail = (f.podcastOwnerEmail ?? '').trim();
  if (podcastOwnerEmail && (podcastOwnerEmail.length > 254 || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(podcastOwnerEmail))) {
    throw invalid('The podcast owner e-mail is an address such as podcast@example.org (or empty).', 'podcastOwnerEmail');
  }
  const websubHub = (f.websubHub ?? '').trim();
  if (websubHub) {
    let hub: URL | undefined;
    try {
      hub = new URL(websubHub);
    } catch {}
    if (!hub || !/^https?:$/.test(hub.protocol) || hub.username || hub.password || websubHub.length > 2000) {
      throw invalid(
        'The WebSub hub is an http(s) address without a user name or password, such as https://pubsubhubbub.appspot.com/ (or empty).',
        'websubHub',
      );
    }
  }
  return { siteName, siteDescription, siteUrl, locale, timeZone, wordsPerMinute, podcastOwnerEmail, websubHub };
}

/** Time zones to offer in the settings form. */
export function timeZones(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** The site's uploadable images besides the logo: the setting each fills, its smallest size and its page text. */
export interface SiteImageKind {
  action: 'podcast-artwork' | 'site-image';
  setting: 'podcastArtwork' | 'siteImage';
  title: string;
  hint: string;
  minWidth: number;
  minHeight: number;
  previewWidth: number;
}

export const SITE_IMAGE_SETTINGS: readonly SiteImageKind[] = [
  {
    action: 'podcast-artwork',
    setting: 'podcastArtwork',
    title: 'Podcast artwork',
    hint: 'The square picture podcast apps show for the audio feeds: at least 1400 × 1400 pixels (a wider image is cut to a square).',
    minWidth: 1400,
    minHeight: 1400,
    previewWidth: 200,
  },
  {
    action: 'site-image',
    setting: 'siteImage',
    title: 'Site image',
    hint: 'The picture link previews show for the front, section, author and tag pages: at least 1200 × 630 pixels (cut to 1200 × 630).',
    minWidth: 1200,
    minHeight: 630,
    previewWidth: 300,
  },
];

/** Refuses an image too small for its use, naming the size it needs. */
export function checkSiteImage(kind: SiteImageKind, size: { width: number; height: number }): void {
  if (size.width < kind.minWidth || size.height < kind.minHeight) {
    throw invalid(
      `The ${kind.title.toLowerCase()} must be at least ${kind.minWidth} × ${kind.minHeight} pixels; this image is ${size.width} × ${size.height}.`,
      'file',
    );
  }
}
