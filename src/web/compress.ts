import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodedEtag, pickEncoding } from '../cache/hit.http.js';
import { compressOnce } from '../cache/page.compress.js';

/** Below this many bytes compression saves less than it costs. */
export const MIN_COMPRESS_BYTES = 1024;

/** Text documents: HTML, CSS, JavaScript, plain text, JSON and XML (feeds, sitemaps, problem details), SVG. */
const TEXT_TYPE =
  /^(?:text\/(?:html|css|plain|javascript|xml|csv|markdown)|application\/(?:[\w.-]+\+)?(?:json|xml)|application\/(?:javascript|ecmascript)|image\/svg\+xml)$/;

function mediaType(value: unknown): string {
  const text = Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
  const semicolon = text.indexOf(';');
  return (semicolon === -1 ? text : text.slice(0, semicolon)).trim().toLowerCase();
}

/** Adds Accept-Encoding to the Vary header, keeping what the route put there. */
function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const text = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (!text) {
    reply.header('Vary', 'Accept-Encoding');
    return;
  }
  if (text.trim() === '*' || /(^|,)\s*accept-encoding\s*(,|$)/i.test(text)) return;
  reply.header('Vary', `${text}, Accept-Encoding`);
}

/**
 * An answer that may be compressed: a text body held in memory, not already encoded, not one the
 * page cache wrote (it compresses and serves its pages itself, `X-Cache`), not a HEAD answer, a
 * 1xx/204/206/304, or a route's `no-transform`.
 */
function compressible(request: FastifyRequest, reply: FastifyReply, payload: unknown): payload is string | Buffer {
  if (request.method === 'HEAD') return false;
  const status = reply.statusCode;
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) return false;
  if (reply.hasHeader('content-encoding') || reply.hasHeader('x-cache')) return false;
  if (/no-transform/i.test(String(reply.getHeader('cache-control') ?? ''))) return false;
  if (!TEXT_TYPE.test(mediaType(reply.getHeader('content-type')))) return false;
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  return length >= MIN_COMPRESS_BYTES;
}

/**
 * A request another site made the browser send with its cookies (a link or form aimed at us).
 * Its answer is not compressed: a page that holds a secret (a form's CSRF token) beside text the
 * other site chose would otherwise leak the secret through its compressed length (BREACH).
 */
const crossSiteWithCookies = (request: FastifyRequest) =>
  request.headers['sec-fetch-site'] === 'cross-site' && Boolean(request.headers.cookie);

/**
 * Compresses every text answer of a kilobyte or more in the best coding the client accepts
 * (br, else gzip; `q=0` refuses one), with the quick settings the page cache uses for a first
 * store, off the event loop. Registered after the page cache, whose onSend hook has by then
 * taken the identity body (and answered with its own stored encodings).
 */
export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!compressible(request, reply, payload)) return payload;
    varyOnEncoding(reply);
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (!encoding || crossSiteWithCookies(request)) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const compressed = await compressOnce(body, encoding);
    reply.header('Content-Encoding', encoding);
    // Fastify sets the length of the bytes actually sent.
    reply.removeHeader('content-length');
    // Another representation, another validator (the page cache's convention: "…-br", "…-gz").
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string' && etag.endsWith('"')) reply.header('ETag', encodedEtag(etag, encoding));
    return compressed;
  });
}
