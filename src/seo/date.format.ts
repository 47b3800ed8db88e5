import { zoneOffsetMinutes } from '../text/time.js';

/**
 * An instant as ISO 8601 with the site's UTC offset and whole seconds, e.g.
 * 2026-11-20T10:00:00+01:00: what structured data, sitemaps and Open Graph expect.
 */
export function isoWithOffset(iso: string | Date, timeZone = 'UTC'): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const offset = zoneOffsetMinutes(timeZone, at);
  const local = new Date(Math.floor(at.getTime() / 1000) * 1000 + offset * 60000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}+00:00`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
