import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageUrl } from '../cache/cache.http.js';
import { AppError } from '../errors.js';
import { clientAddress, type ProxyTrust, securityHeadersFor } from '../web/security.js';
import { BEACON_MAX_BYTES } from './beacon.parse.js';
import type { BeaconRequest } from './beacon.take.js';

/** The body types a browser's `navigator.sendBeacon` (text/plain) or a script (JSON) sends. */
const BODY_TYPES = new Set(['text/plain', 'application/json']);

export interface BeaconDoorOptions {
  trust: ProxyTrust;
  take: (request: BeaconRequest) => Promise<void>;
  /** An unexpected failure (never a bad beacon): logged by the caller, answered 500 without detail. */
  onError: (error: unknown) => void;
}

/**
 * `POST /api/v1/beacon` answered on Node's request, before Fastify builds its request and reply
 * objects or runs any hook: a beacon costs a fraction of a routed request, so thousands a second
 * leave the cached pages' latency alone. It answers exactly what the Fastify route answers (204,
 * no cookie, no-store; 400/413/422 JSON errors). Anything unusual — another method, another body
 * type — is left to Fastify, which gives its usual answer (404, 405, 415).
 */
export function beaconDoor(options: BeaconDoorOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!BODY_TYPES.has(type)) return false;
    const url = pageUrl(req, options.trust);
    const https = url.startsWith('https:');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > BEACON_MAX_BYTES) {
      refuse(res, https, new AppError('too_large'));
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > BEACON_MAX_BYTES) {
        done = true;
        refuse(res, https, new AppError('too_large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const body = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      const start = url.indexOf('//') + 2;
      const host = url.slice(start, url.indexOf('/', start));
      const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trust);
      options.take({ body, headers: req.headers, ip, host }).then(
        () => {
          res.writeHead(204, { 'cache-control': 'no-store', ...securityHeadersFor(https) });
          res.end();
        },
        (error) => {
          if (!(error instanceof AppError)) options.onError(error);
          refuse(res, https, error instanceof AppError ? error : new AppError('internal'));
        },
      );
    });
    return true;
  };
}

/** A refused beacon: the site's JSON error, never cached, no cookie. */
function refuse(res: ServerResponse, https: boolean, error: AppError): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...securityHeadersFor(https),
  };
  // A body cut off half way is not read to its end: the connection is closed after the answer.
  if (error.code === 'too_large') headers.connection = 'close';
  res.writeHead(error.status, headers);
  res.end(body);
}
