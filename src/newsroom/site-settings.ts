import { invalid } from '../errors.js';
import type { SiteSettings } from '../settings/settings.service.js';

export type SiteSettingsForm = Record<'siteName' | 'siteDescription' | 'siteUrl' | 'locale' | 'timeZone' | 'wordsPerMinute', string>;

export const settingsForm = (s: SiteSettings): SiteSettingsForm => ({
  siteName: s.siteName,
  siteDescription: s.siteDescription,
  siteUrl: s.siteUrl,
  locale: s.locale,
  timeZone: s.timeZone,
  wordsPerMinute: String(s.wordsPerMinute),
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
  return { siteName, siteDescription, siteUrl, locale, timeZone, wordsPerMinute };
}

/** Time zones to offer in the settings form. */
export function timeZones(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
