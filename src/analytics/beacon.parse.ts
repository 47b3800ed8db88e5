import { AppError } from '../errors.js';

/** What a reader's browser may report. */
export const BEACON_TYPES = ['view', 'depth', 'listen', 'share', 'comment', 'signup', 'engaged'] as const;
export type BeaconType = (typeof BEACON_TYPES)[number];

/** The largest beacon body accepted (a real one is a few hundred bytes). */
export const BEACON_MAX_BYTES = 2048;
/** Engaged time reported in one beacon is capped (the client sends it in 5-second steps). */
export const MAX_ENGAGED_SECONDS = 3600;

export const SOURCES = ['search', 'social', 'direct', 'newsletter', 'feeds', 'other'] as const;
export type Source = (typeof SOURCES)[number];

/** One valid beacon, as the collector buffers it. */
export interface Beacon {
  type: BeaconType;
  path: string;
  value: number;
  detail: string;
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  screen: '' | 's' | 'm' | 'l';
}

const bad = (message: string, field?: string) => new AppError('invalid', message, field);

const hasControl = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
};

function str(raw: unknown, field: string, max: number): string {
  if (raw === undefined || raw === null || raw === '') return '';
  if (typeof raw !== 'string') throw bad(`"${field}" must be text.`, field);
  if (raw.length > max) throw bad(`"${field}" is longer than ${max} characters.`, field);
  // Control characters have no place in any of these fields.
  if (hasControl(raw)) throw bad(`"${field}" holds control characters.`, field);
  return raw;
}

/** A site path without query or fragment, no trailing slash (but "/"). */
export function normalisePath(raw: string): string {
  let path = raw.split(/[?#]/)[0];
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/';
  return path;
}

function hostOf(raw: string): string {
  const host = raw.toLowerCase().replace(/^www\./, '');
  if (!/^[a-z0-9.-]{1,253}(:\d{1,5})?$/.test(host)) throw bad('"referrer" must be a host name.', 'referrer');
  return host;
}

const int = (raw: unknown, field: string): number => {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(`"${field}" must be a whole number.`, field);
  return n;
};

/**
 * Checks a beacon body (already size-bounded): a JSON object, as text (what `navigator.sendBeacon`
 * sends) or parsed. Anything else is refused with 400 (not JSON) or 422 (a field at fault).
 */
export function parseBeacon(body: unknown): Beacon {
  let data = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      data = JSON.parse(String(body));
    } catch {
      throw new AppError('bad_request', 'The beacon is not JSON.');
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('bad_request', 'The beacon must be a JSON object.');
  const b = data as Record<string, unknown>;
  const type = b.type;
  if (typeof type !== 'string' || !(BEACON_TYPES as readonly string[]).includes(type)) {
    throw bad(`"type" must be one of ${BEACON_TYPES.join(', ')}.`, 'type');
  }
  const path = str(b.path, 'path', 500);
  if (!path.startsWith('/') || path.startsWith('//')) throw bad('"path" must be a path on this site, starting with "/".', 'path');
  let value = 0;
  let detail = '';
  switch (type as BeaconType) {
    case 'depth':
      value = int(b.value, 'value');
      if (![25, 50, 75, 100].includes(value)) throw bad('"value" of a depth beacon is 25, 50, 75 or 100.', 'value');
      break;
    case 'listen':
      value = int(b.value ?? 0, 'value');
      if (![0, 25, 50, 75, 100].includes(value)) throw bad('"value" of a listen beacon is 0 (started), 25, 50, 75 or 100.', 'value');
      break;
    case 'engaged':
      value = int(b.value, 'value');
      if (value <= 0 || value > MAX_ENGAGED_SECONDS || value % 5 !== 0) {
        throw bad(`"value" of an engaged beacon is seconds in 5-second steps, at most ${MAX_ENGAGED_SECONDS}.`, 'value');
      }
      break;
    case 'share':
      detail = str(b.detail, 'detail', 20).toLowerCase();
      if (detail && !/^[a-z0-9-]+$/.test(detail)) throw bad('"detail" of a share beacon names the network.', 'detail');
      break;
    case 'comment':
      detail = str(b.detail, 'detail', 10);
      if (detail !== 'open' && detail !== 'submit') throw bad('"detail" of a comment beacon is open or submit.', 'detail');
      break;
    default:
      break;
  }
  const referrer = str(b.referrer, 'referrer', 260);
  const screen = str(b.screen, 'screen', 1);
  if (screen && !['s', 'm', 'l'].includes(screen)) throw bad('"screen" is s, m or l.', 'screen');
  return {
    type: type as BeaconType,
    path: normalisePath(path),
    value,
    detail,
    referrerHost: referrer ? hostOf(referrer) : '',
    utmSource: str(b.utm_source, 'utm_source', 100).toLowerCase(),
    utmMedium: str(b.utm_medium, 'utm_medium', 100).toLowerCase(),
    utmCampaign: str(b.utm_campaign, 'utm_campaign', 100),
    screen: screen as Beacon['screen'],
  };
}

// Search engines, social networks and feed readers, by a word of their host names.
const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|qwant|startpage|search\.brave|kagi|naver|seznam)\./;
const SOCIAL =
  /(^|\.)(facebook|fb|instagram|t|x|twitter|linkedin|lnkd|reddit|bsky|bluesky|mastodon|threads|tiktok|youtube|pinterest|whatsapp|telegram|news\.ycombinator|lemmy)\.|^(m|l|lm)\.facebook\./;
const FEEDS = /(^|\.)(feedly|inoreader|newsblur|theoldreader|feedbin|netnewswire|miniflux)\./;

/**
 * Where a page view came from: a newsletter (utm_medium email/newsletter), a feed reader, a search
 * engine, a social network, nowhere (direct, or this site itself), or elsewhere.
 */
export function sourceOf(b: Pick<Beacon, 'referrerHost' | 'utmSource' | 'utmMedium'>, ownHost: string): Source {
  const medium = b.utmMedium;
  if (medium === 'email' || medium === 'newsletter') return 'newsletter';
  if (medium === 'rss' || medium === 'feed' || b.utmSource === 'rss' || b.utmSource === 'feed') return 'feeds';
  const host = b.referrerHost.replace(/:\d+$/, '');
  if (!host || host === ownHost.replace(/^www\./, '').replace(/:\d+$/, '')) {
    if (medium === 'social') return 'social';
    if (medium === 'organic' || medium === 'search') return 'search';
    return 'direct';
  }
  if (FEEDS.test(host)) return 'feeds';
  if (SEARCH.test(host)) return 'search';
  if (SOCIAL.test(host) || medium === 'social') return 'social';
  if (/(^|\.)(mail|outlook|webmail)\./.test(host)) return 'newsletter';
  return 'other';
}

// Self-declared robots, headless browsers and HTTP libraries (checked case-insensitively).
const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|scrap|headless|phantomjs|curl\/|wget|python|httpclient|http-client|java\/|okhttp|go-http|axios|node-fetch|undici|libwww|perl|ruby|php\/|lighthouse|pingdom|uptime|monitor|preview|facebookexternalhit|embedly|validator|feedfetcher|apache-httpclient|^mozilla\/5\.0$/i;

/** True for a user agent that is not a person's browser (or is missing). */
export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT_UA.test(userAgent);
}

/** True when the browser asks not to be tracked (`Sec-GPC: 1` or `DNT: 1`). */
export function asksNotToTrack(headers: Record<string, string | string[] | undefined>): boolean {
  return String(headers['sec-gpc'] ?? '').trim() === '1' || String(headers.dnt ?? '').trim() === '1';
}
