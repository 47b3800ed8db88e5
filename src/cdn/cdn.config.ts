import { ConfigError } from '../config.js';

export type CdnKind = 'varnish' | 'fastly' | 'cloudflare';

/** Where the purges of the pages this instance drops go, besides its own memory. */
export type CdnConfig =
  | { kind: 'varnish'; urls: string[] }
  | { kind: 'fastly'; apiUrl: string; service: string; token: string }
  | { kind: 'cloudflare'; apiUrl: string; zone: string; token: string };

const KINDS = ['varnish', 'fastly', 'cloudflare', 'off', ''];
const ID = /^[A-Za-z0-9_-]{1,100}$/;

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an http(s) address, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) address, got "${value}"`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function required(name: string, value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new ConfigError(`${name} must be set: ${what}`);
  return v;
}

function id(name: string, value: string | undefined, what: string): string {
  const v = required(name, value, what);
  if (!ID.test(v)) throw new ConfigError(`${name} must be letters, digits, "-" or "_" (${what})`);
  return v;
}

/**
 * GAZETTE_CDN (varnish | fastly | cloudflare | off), GAZETTE_CDN_PURGE_URL (Varnish: one or several
 * comma-separated addresses; alone it means varnish), GAZETTE_FASTLY_SERVICE, GAZETTE_FASTLY_TOKEN,
 * GAZETTE_CLOUDFLARE_ZONE, GAZETTE_CLOUDFLARE_TOKEN, GAZETTE_CDN_API_URL (the API's address, for a
 * proxy or a test server). Undefined when no CDN is configured. Error messages never echo tokens.
 */
export function cdnConfig(env: NodeJS.ProcessEnv = process.env): CdnConfig | undefined {
  const raw = (env.GAZETTE_CDN ?? '').trim().toLowerCase();
  if (!KINDS.includes(raw)) throw new ConfigError(`GAZETTE_CDN must be varnish, fastly, cloudflare or off, got "${env.GAZETTE_CDN}"`);
  const purgeUrls = (env.GAZETTE_CDN_PURGE_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const kind = raw || (purgeUrls.length ? 'varnish' : 'off');
  if (kind === 'off') return undefined;
  const api = env.GAZETTE_CDN_API_URL?.trim();
  if (kind === 'varnish') {
    if (!purgeUrls.length)
      throw new ConfigError('GAZETTE_CDN_PURGE_URL must be set: the address of each Varnish, e.g. http://varnish:6081');
    return { kind, urls: [...new Set(purgeUrls.map((u) => httpUrl('GAZETTE_CDN_PURGE_URL', u)))] };
  }
  if (kind === 'fastly') {
    return {
      kind,
      apiUrl: httpUrl('GAZETTE_CDN_API_URL', api || 'https://api.fastly.com'),
      service: id('GAZETTE_FASTLY_SERVICE', env.GAZETTE_FASTLY_SERVICE, 'the Fastly service id'),
      token: required('GAZETTE_FASTLY_TOKEN', env.GAZETTE_FASTLY_TOKEN, 'a Fastly API token allowed to purge'),
    };
  }
  return {
    kind: 'cloudflare',
    apiUrl: httpUrl('GAZETTE_CDN_API_URL', api || 'https://api.cloudflare.com'),
    zone: id('GAZETTE_CLOUDFLARE_ZONE', env.GAZETTE_CLOUDFLARE_ZONE, 'the Cloudflare zone id'),
    token: required('GAZETTE_CLOUDFLARE_TOKEN', env.GAZETTE_CLOUDFLARE_TOKEN, 'a Cloudflare API token with Cache Purge permission'),
  };
}
