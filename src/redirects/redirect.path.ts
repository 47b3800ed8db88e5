import { invalid } from '../errors.js';

/** Longest path kept (old CMS addresses can be long; anything longer is not a real address). */
export const MAX_PATH = 500;

/** Paths the site answers itself whatever the table says: never redirected from. */
const RESERVED = [/^\/admin(\/|$)/, /^\/api(\/|$)/];

const BASE = 'http://gazette.invalid';

const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * The one spelling of a path: dot segments resolved, characters outside ASCII percent-encoded,
 * no trailing slash (the router ignores it too). The same function serves stored paths and the
 * path of a request, so both compare byte for byte.
 */
function canonical(path: string): string {
  let p = new URL(path, BASE).pathname;
  if (p.length > 1 && p.endsWith('/')) p = p.replace(/\/+$/, '') || '/';
  return p;
}

/** What is wrong with a typed path, or the path split into its normalised path and query. */
function check(raw: string, allowQuery: boolean): { path: string; query: string } | string {
  const s = raw.trim();
  if (!s) return 'Give a path on this site, starting with "/" (e.g. /politics/council-budget).';
  if (s.length > MAX_PATH) return `A path may have at most ${MAX_PATH} characters.`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) || s.startsWith('//'))
    return 'Give a path on this site, starting with "/", not a full address with a scheme or host.';
  if (!s.startsWith('/')) return 'A path starts with "/" (e.g. /politics/council-budget).';
  // Browsers read a backslash as a slash: "/\host" would leave the site.
  if (/[\s\\]/.test(s) || hasControl(s)) return 'A path may not contain spaces, backslashes or control characters.';
  if (s.includes('#')) return 'A path may not contain a fragment ("#…").';
  const q = s.indexOf('?');
  if (q >= 0 && !allowQuery) return 'The old path cannot have a query ("?…"): only the path is matched.';
  const path = canonical(q >= 0 ? s.slice(0, q) : s);
  // "/./evil.example" resolves to "//evil.example": refused after normalising too.
  if (path.startsWith('//')) return 'Give a path on this site, starting with a single "/".';
  if (path.length > MAX_PATH) return `A path may have at most ${MAX_PATH} characters.`;
  const query = q >= 0 ? s.slice(q + 1) : '';
  return { path, query: query ? `?${query}` : '' };
}

/** The old path of a redirect, normalised; a 422 naming `field` when it cannot be one. */
export function fromPath(raw: string, field = 'from'): string {
  const r = check(raw, false);
  if (typeof r === 'string') throw invalid(r, field);
  if (r.path === '/') throw invalid('The front page cannot be redirected.', field);
  if (RESERVED.some((re) => re.test(r.path))) throw invalid('Paths under /admin and /api cannot be redirected.', field);
  return r.path;
}

/** The new path of a redirect (a query is kept), normalised; a 422 naming `field` when it cannot be one. */
export function toPath(raw: string, field = 'to'): string {
  const r = check(raw, true);
  if (typeof r === 'string') throw invalid(r, field);
  return r.path + r.query;
}

/** The path part of a target (without its query). */
export const pathOf = (target: string) => {
  const q = target.indexOf('?');
  return q >= 0 ? target.slice(0, q) : target;
};

/** The path a request's URL asks for, spelled as stored paths are; undefined when it could never be one. */
export function requestPath(url: string): string | undefined {
  const q = url.indexOf('?');
  const raw = q >= 0 ? url.slice(0, q) : url;
  if (raw.length > MAX_PATH || !raw.startsWith('/') || raw.startsWith('//') || /[\s\\]/.test(raw)) return undefined;
  try {
    return canonical(raw);
  } catch {
    return undefined;
  }
}

/**
 * Where a request that matched a redirect goes: the target, with the request's query string
 * (campaign tags, page numbers) carried over when the target has no query of its own.
 */
export function locationFor(target: string, requestUrl: string): string {
  const q = requestUrl.indexOf('?');
  if (q < 0 || target.includes('?')) return target;
  const query = requestUrl.slice(q + 1);
  return query ? `${target}?${query}` : target;
}
