import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

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

/** The headers every answer carries (the page cache writes them itself on the answers it serves). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'cross-origin-opener-policy': 'same-origin',
};

export function installSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
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
      throw new AppError('invalid_text', 400, 'Text must not contain NUL characters.');
    }
    // The schema coercion would turn such a value into Infinity, which passes integer and maximum checks.
    if (overflowsNumber(request.query) || overflowsNumber(request.params)) {
      throw new AppError('invalid_number', 400, 'A number in the address is too large.');
    }
  });
}
