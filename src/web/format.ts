import type { SiteSettings } from '../settings/settings.service.js';
import { dateTimeFormat } from '../text/intl.js';

/** "30 November 2026, 09:00" in the site's locale and time zone. */
export function formatDateTime(iso: string, s: Pick<SiteSettings, 'locale' | 'timeZone'>): string {
  return dateTimeFormat(s.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: s.timeZone }).format(new Date(iso));
}

export function formatDate(iso: string, s: Pick<SiteSettings, 'locale' | 'timeZone'>): string {
  return dateTimeFormat(s.locale, { dateStyle: 'medium', timeZone: s.timeZone }).format(new Date(iso));
}

/** "Jane Doe", "Jane Doe and Ali Khan", "A, B and C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
