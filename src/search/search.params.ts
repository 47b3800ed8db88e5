import { parseDateTime } from '../text/time.js';

/** What a reader asked for on /search or /api/v1/search, read leniently from the query string. */
export interface SearchRequest {
  q: string;
  /** Section slug. */
  section: string;
  /** Calendar days, YYYY-MM-DD, in the site's time zone. */
  from: string;
  to: string;
  page: number;
  /** Search-as-you-type: the last word also matches as a prefix. */
  prefix: boolean;
}

export const MAX_PAGE = 1000;

const one = (v: unknown): string => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the query string; returns the request and a plain message for each parameter that made no sense (then ignored). */
export function readSearchRequest(query: unknown): { request: SearchRequest; problems: string[] } {
  const raw = (query ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const date = (name: 'from' | 'to', label: string) => {
    const v = one(raw[name]).trim();
    if (!v) return '';
    if (DAY.test(v) && parseDateTime(v)) return v;
    problems.push(`The ${label} date must be a day like 2026-11-30; it was ignored.`);
    return '';
  };
  const pageText = one(raw.page).trim();
  let page = 1;
  if (pageText) {
    if (/^\d{1,6}$/.test(pageText) && Number(pageText) >= 1) page = Math.min(Number(pageText), MAX_PAGE);
    else problems.push('The page must be a positive number; showing the first page.');
  }
  const section = one(raw.section).trim().toLowerCase();
  const request: SearchRequest = {
    q: one(raw.q),
    section: /^[a-z0-9-]{1,100}$/.test(section) ? section : '',
    from: date('from', '“from”'),
    to: date('to', '“to”'),
    page,
    prefix: ['1', 'true', 'on'].includes(one(raw.prefix)),
  };
  if (request.from && request.to && request.from > request.to) {
    problems.push('The “from” date is after the “to” date; the dates were swapped.');
    [request.from, request.to] = [request.to, request.from];
  }
  return { request, problems };
}

/** The query string of a search, for links (pagination) that keep the filters. */
export function searchQueryString(r: Partial<SearchRequest>): string {
  const params = new URLSearchParams();
  if (r.q) params.set('q', r.q);
  if (r.section) params.set('section', r.section);
  if (r.from) params.set('from', r.from);
  if (r.to) params.set('to', r.to);
  if (r.page && r.page > 1) params.set('page', String(r.page));
  return params.toString();
}
