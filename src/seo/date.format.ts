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

/**
 * When an article last changed for its readers: its update time when that is after publication,
 * else its publication. The one rule behind JSON-LD `dateModified`, `article:modified_time`, feed
 * entries' `updated` and sitemap `lastmod`, so all of them agree. (`modified_at` also moves for
 * changes readers never see, such as a bulk load, and is kept for HTTP Last-Modified.)
 */
export function contentModified(a: { publishedAt: string; updatedAt: string | null | undefined }): string {
  return a.updatedAt && a.updatedAt > a.publishedAt ? a.updatedAt : a.publishedAt;
}
