import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TrustProxy } from '../config.js';
import { AppError } from '../errors.js';

/** Whether the address at this hop (0: the connection's peer, 1: the next one in X-Forwarded-For…) is a trusted proxy. */
export type ProxyTrust = (address: string | undefined, hop: number) => boolean;

/**
 * GAZETTE_TRUST_PROXY as one decision, shared by Fastify (`request.ip`, `protocol`, `host`), the
 * page cache's key and everything that reads the client's address: a number trusts that many hops
 * whoever they are; a list trusts exactly those addresses and ranges.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (setting === false || setting === 0) return () => false;
  if (typeof setting !== 'object') {
    const hops = setting === true ? 1 : setting;
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const entry of setting) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    const plain = address?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') ?? '';
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address as Fastify's `request.ip` gives it, for code that reads Node's request
 * itself: the connection's peer, or behind trusted proxies the right-most untrusted address of
 * `X-Forwarded-For` (the left-most when every hop is trusted).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trust: ProxyTrust): string {
  const chain = [peer ?? ''];
  if (forwardedFor !== undefined && trust(peer, 0)) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    for (let i = hops.length - 1; i >= 0; i--) chain.push(hops[i].trim());
  }
  for (let hop = 0; hop < chain.length - 1; hop++) if (!trust(chain[hop], hop)) return chain[hop];
  return chain[chain.length - 1];
}

/** Fastify's `trustProxy` option for the setting (its own number form is disabled: a function does the counting). */
export const fastifyTrustProxy = (setting: TrustProxy): false | ProxyTrust =>
  setting === false || setting === 0 ? false : proxyTrust(setting);

/**
 * Headers on every answer. Pages load scripts, styles and images only from this origin: no
 * third party, no inline script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Features no page of Gazette uses, refused for the page and anything it embeds.
 * `browsing-topics` is the interest-based advertising API (it replaced the abandoned FLoC trial).
 */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), browsing-topics=()';

/**
 * HTTPS only from now on, for a year. Without includeSubDomains: the site's host may share its
 * domain with other hosts (a blog on www., an intranet beside it) that Gazette cannot vouch for,
 * and a browser would then refuse their plain-HTTP pages for a year. An operator who knows every
 * subdomain serves HTTPS adds it (and preload) at the proxy.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** The headers every answer carries (the page cache writes them itself on the answers it serves). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': PERMISSIONS_POLICY,
  'cross-origin-opener-policy': 'same-origin',
};

/** The headers of an answer given over HTTPS: the same and Strict-Transport-Security. */
export const HTTPS_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'strict-transport-security': STRICT_TRANSPORT_SECURITY,
};

/**
 * The security headers for an answer over HTTPS or plain HTTP. HSTS goes only on HTTPS answers
 * (RFC 6797 §7.2: never over plain HTTP, where anyone on the path could forge or strip it).
 * Behind a TLS-terminating proxy the scheme is the proxy's `X-Forwarded-Proto`, which is read
 * only from a trusted proxy (GAZETTE_TRUST_PROXY; the same scheme the page cache keys its pages by).
 */
export function securityHeadersFor(https: boolean): Readonly<Record<string, string>> {
  return https ? HTTPS_SECURITY_HEADERS : SECURITY_HEADERS;
}

export function installSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(securityHeadersFor(request.protocol === 'https'));
    return payload;
  });
}

/** True when a parsed value (query, params, body) holds a NUL character in any string, key or nested value. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** True when a query or path value is written as a number too large for one ("1e309" → Infinity). */
export function overflowsNumber(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.values(value).some((v) =>
    [v].flat().some((x) => typeof x === 'string' && NUMERIC.test(x.trim()) && !Number.isFinite(Number(x))),
  );
}

/**
 * Refuses text with NUL characters before any handler sees it (no field of Gazette may hold
 * one, PostgreSQL cannot store one, and C-string truncation tricks start with one), and numbers
 * in the address that overflow to Infinity.
 */
export function installInputGuards(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.query) || containsNul(request.params) || containsNul(request.body)) {
      throw new AppError('invalid_text', 'Text must not contain NUL characters.');
    }
    // The schema coercion would turn such a value into Infinity, which passes integer and maximum checks.
    if (overflowsNumber(request.query) || overflowsNumber(request.params)) {
      throw new AppError('invalid_number', 'A number in the address is too large.');
    }
  });
}
