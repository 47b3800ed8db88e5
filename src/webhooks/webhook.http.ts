import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { bareHost, ForbiddenAddressError, guardedLookup, isForbiddenAddress } from './webhook.guard.js';

export interface OutboundPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivate: boolean;
  /** The whole exchange (connect, send, answer) ends after this long. */
  timeoutMs?: number;
  /** At most this much of the answer is read; the rest is discarded with the connection. */
  maxBytes?: number;
}

export interface OutboundResult {
  /** The answer's status, or null when there was none (refused, timed out, unreachable). */
  status: number | null;
  /** The start of the answer's body (up to 1000 characters). */
  excerpt: string;
  error: string | null;
  durationMs: number;
}

export const OUTBOUND_TIMEOUT_MS = 10_000;
export const OUTBOUND_MAX_BYTES = 64 * 1024;
const EXCERPT_CHARS = 1000;

/**
 * POSTs a body to a URL, once: no redirect is followed (a 3xx is just an answer), the answer's body
 * is read up to `maxBytes`, the exchange ends after `timeoutMs`, and the connection goes only to
 * an address the SSRF guard accepts. Never throws: what went wrong is in `error`.
 */
export function postOutbound(p: OutboundPost): Promise<OutboundResult> {
  const started = Date.now();
  const timeoutMs = p.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  const maxBytes = p.maxBytes ?? OUTBOUND_MAX_BYTES;
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (status: number | null, excerpt: string, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, excerpt: excerpt.slice(0, EXCERPT_CHARS), error, durationMs: Date.now() - started });
    };
    let url: URL;
    try {
      url = new URL(p.url);
    } catch {
      return finish(null, '', 'the address is not a valid URL');
    }
    const host = bareHost(url);
    // Sockets skip the lookup for an address written as such: check it here.
    if (!p.allowPrivate && isIP(host) && isForbiddenAddress(host))
      return finish(null, '', `${host} is an address deliveries may not reach`);
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (!send) return finish(null, '', 'only http and https addresses can be used');
    const body = Buffer.from(p.body);
    const req = send(url, {
      method: 'POST',
      headers: { ...p.headers, 'content-length': String(body.length), 'user-agent': 'Gazette-Webhooks/1.0' },
      lookup: guardedLookup(p.allowPrivate),
      // A fresh connection each time: a pooled socket would skip the address check.
      agent: false,
    });
    timer = setTimeout(() => {
      finish(null, '', `no complete answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => {
      const message = error instanceof ForbiddenAddressError ? error.message : error.message || 'the connection failed';
      finish(null, '', message);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish(res.statusCode ?? null, Buffer.concat(chunks).toString('utf8'), null);
      res.on('data', (chunk: Buffer) => {
        const room = maxBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= maxBytes) {
          // Enough: the rest of a large answer is not read.
          done();
          res.destroy();
          req.destroy();
        }
      });
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    req.end(body);
  });
}
