import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';

/** Site settings with their defaults. Other features add their keys here. */
export interface SiteSettings {
  siteName: string;
  siteDescription: string;
  /** Public origin used in canonical URLs and feeds, e.g. https://news.example.org; empty: taken from the request. */
  siteUrl: string;
  locale: string;
  timeZone: string;
  wordsPerMinute: number;
  /** The site logo (an image of the media library) shown before the name in the masthead, or null. */
  logo: { mediaId: number; url: string; width: number; height: number } | null;
  /** Square show artwork of the podcast feeds (a media library image, at least 1400 px), or null: drawn from the site name. */
  podcastArtwork: { mediaId: number } | null;
  /** The image link previews show for the front, section, author and tag pages (at least 1200×630), or null: drawn. */
  siteImage: { mediaId: number } | null;
  /** The podcast owner's e-mail in the feeds (`itunes:owner`); empty: the owner is named without one. */
  podcastOwnerEmail: string;
  /** Comment policy (the moderation settings page). */
  commentsMaxLinks: number;
  /** Comments close this many days after publication; 0: never. */
  commentsAutoCloseDays: number;
  /** Approve commenters with at least this many approved comments and no rejection; 0: never. */
  commentsAutoApprove: number;
  /** Seconds that must pass between two comments from one address or email. */
  commentsRateSeconds: number;
  /** Comments per hour from one address or email. */
  commentsRatePerHour: number;
  /** Minimum seconds between loading the HTML form and sending it. */
  commentsMinFillSeconds: number;
  /** Seconds a browser or CDN may reuse a reader page (Cache-Control max-age). */
  cacheMaxAge: number;
  /** Seconds a CDN may keep serving a page while it fetches a fresh one (stale-while-revalidate). */
  cacheStaleWhileRevalidate: number;
  /** Narrate published articles ("Listen to this article"). */
  narrationEnabled: boolean;
  /** Speech engine id (flite, festival) and one of its voices. */
  narrationEngine: string;
  narrationVoice: string;
  /** Speaking rate: 1 is the voice's own pace. */
  narrationRate: number;
  /** The WebSub hub feeds declare and Gazette pings when they change (e.g. https://pubsubhubbub.appspot.com/); empty: none. */
  websubHub: string;
  /** Analytics of a browser sending `Sec-GPC: 1` or `DNT: 1`: not counted (skip), or counted without the visitor hash. */
  analyticsPrivacySignals: 'skip' | 'anonymous';
  /** Days raw analytics beacons are kept (the rollups stay). */
  analyticsRetentionDays: number;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteName: 'The Gazette',
  siteDescription: 'Independent news from Harbor City and the world.',
  siteUrl: '',
  locale: 'en-US',
  timeZone: 'UTC',
  wordsPerMinute: 200,
  logo: null,
  podcastArtwork: null,
  siteImage: null,
  podcastOwnerEmail: '',
  commentsMaxLinks: 2,
  commentsAutoCloseDays: 0,
  commentsAutoApprove: 0,
  commentsRateSeconds: 10,
  commentsRatePerHour: 20,
  commentsMinFillSeconds: 3,
  cacheMaxAge: 60,
  cacheStaleWhileRevalidate: 600,
  narrationEnabled: true,
  narrationEngine: 'flite',
  narrationVoice: 'rms',
  narrationRate: 1,
  websubHub: '',
  analyticsPrivacySignals: 'skip',
  analyticsRetentionDays: 30,
};

export async function loadSettings(db: Executor): Promise<SiteSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if (row.key in DEFAULT_SETTINGS) settings[row.key] = JSON.parse(row.value);
  }
  return settings as unknown as SiteSettings;
}

export async function saveSettings(trx: Executor, changes: Partial<SiteSettings>): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in DEFAULT_SETTINGS) || value === undefined) continue;
    const json = JSON.stringify(value);
    await trx
      .insertInto('settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  }
  await recordEvent(trx, 'settings.changed', null, { keys: Object.keys(changes) });
}
