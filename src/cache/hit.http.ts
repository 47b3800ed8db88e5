import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cacheTagHeader } from '../cdn/cloudflare.js';
import { securityHeadersFor } from '../web/security.js';
import { type CachedPage, type Grade, identityOf } from './page.compress.js';

/**
 * The HTTP of a stored page, in one place: its validators (ETag, If-None-Match,
 * If-Modified-Since → 304), the encoding a client gets, its headers, HEAD, and the writing of
 * a hit to Node's response, to a socket as bytes (socket.door.ts) or to the Fastify reply of
 * the render that stored it. The store (page.cache.ts) only stores; lookup is hit.lookup.ts.
 */

export type Encoding = 'br' | 'gzip' | null;
const encodings = new Map<string, Encoding>();

/** br, else gzip, else identity, from Accept-Encoding (q=0 refuses a coding). Browsers send few distinct values: they are remembered. */
export function pickEncoding(header: string | string[] | undefined): Encoding {
  if (!header) return null;
  const value = Array.isArray(header) ? header.join(',') : header;
  let known = encodings.get(value);
  if (known === undefined) {
    known = parseEncoding(value);
    if (value.length <= 200) {
      if (encodings.size >= 256) encodings.clear();
      encodings.set(value, known);
    }
  }
  return known;
}

function parseEncoding(value: string): Encoding {
  const accepted = new Set<string>();
  for (const part of value.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * The ETag that goes with an encoding of the same page. The recompressed bytes of a popular page
 * differ from its first ones, so they carry a tag of their own (`-br-best`); a client holding
 * either still gets its 304 (`etagMatches`).
 */
export function encodedEtag(etag: string, encoding: Encoding, grade?: Grade): string {
  if (!encoding) return etag;
  return `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}${grade === 'best' ? '-best' : ''}"`;
}

const ENCODED_SUFFIXES = ['-br', '-gz', '-br-best', '-gz-best'];

/** True when an If-None-Match header names this page (in any of its encodings). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const base = etag.slice(1, -1);
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === etag || ENCODED_SUFFIXES.some((suffix) => t === `"${base}${suffix}"`);
  });
}

/**
 * If-Modified-Since says the client's copy is current: only when no If-None-Match was sent
 * (RFC 9110 §13.2.2), compared in whole seconds as HTTP dates are.
 */
export function unmodifiedSince(headers: IncomingHttpHeaders, lastModified: Date | string | undefined): boolean {
  if (headers['if-none-match'] || !lastModified) return false;
  const ims = headers['if-modified-since'];
  if (!ims) return false;
  const since = Date.parse(ims);
  const modified = new Date(lastModified).getTime();
  return !Number.isNaN(since) && !Number.isNaN(modified) && Math.floor(modified / 1000) * 1000 <= since;
}

/** True when the client's copy is current: If-None-Match names the page, or (without one) If-Modified-Since is not older. */
export function notModified(headers: IncomingHttpHeaders, page: CachedPage): boolean {
  const tags = headers['if-none-match'];
  return tags ? etagMatches(tags, page.etag) : unmodifiedSince(headers, page.lastModified);
}

/**
 * What describes a stored page in one encoding, as the flat name/value list `writeHead` takes:
 * the same for a hit and for the render that stored it (`X-Cache` tells them apart).
 */
export function pageHeaders(page: CachedPage, encoding: Encoding, cache: 'HIT' | 'MISS'): string[] {
  const list = [
    ...Object.entries(securityHeadersFor(page.https === true)).flat(),
    'content-type',
    page.contentType,
    'cache-control',
    page.cacheControl,
    'surrogate-key',
    page.keys.join(' '),
    ...cacheTagHeader(page.keys),
    'vary',
    'Accept-Encoding',
    'etag',
    encodedEtag(page.etag, encoding, page.grade),
    'x-cache',
    cache,
  ];
  if (page.lastModified) list.push('last-modified', page.lastModified);
  if (encoding) list.push('content-encoding', encoding);
  return list;
}

export const bodyOf = (page: CachedPage, encoding: Encoding) =>
  encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : identityOf(page);

interface Heads {
  /** For a 304: what describes the page. */
  notModified: string[];
  /** For a 200: the same and the body's length. */
  full: string[];
  /** Either as bytes with its status line, made on first use; null when a value cannot go on the wire as is. */
  wire: { 200?: Buffer | null; 304?: Buffer | null };
}

/** The headers of a hit in one encoding, built once per page. */
const heads = new WeakMap<CachedPage, Map<Encoding, Heads>>();

function headsOf(page: CachedPage, encoding: Encoding): Heads {
  let byEncoding = heads.get(page);
  if (!byEncoding) {
    byEncoding = new Map();
    heads.set(page, byEncoding);
  }
  let found = byEncoding.get(encoding);
  if (!found) {
    const list = pageHeaders(page, encoding, 'HIT');
    found = { notModified: list, full: [...list, 'content-length', String(bodyOf(page, encoding).length)], wire: {} };
    byEncoding.set(encoding, found);
  }
  return found;
}

const SAFE_HEADER = /^[\t\x20-\x7e]*$/;

/** Status line and headers of a hit (without Date, Connection and the blank line), as bytes. */
function wireHead(page: CachedPage, encoding: Encoding, status: 200 | 304): Buffer | null {
  const found = headsOf(page, encoding);
  let bytes = found.wire[status];
  if (bytes === undefined) {
    const list = status === 200 ? found.full : found.notModified;
    let text = status === 200 ? 'HTTP/1.1 200 OK\r\n' : 'HTTP/1.1 304 Not Modified\r\n';
    let safe = true;
    for (let i = 0; i < list.length; i += 2) {
      safe &&= SAFE_HEADER.test(list[i + 1]);
      text += `${list[i]}: ${list[i + 1]}\r\n`;
    }
    bytes = safe ? Buffer.from(text, 'latin1') : null;
    found.wire[status] = bytes;
  }
  return bytes;
}

/** What a hit needs of a request: Node's IncomingMessage, or a head read straight off the socket. */
export interface RequestHead {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  /** Read only for `encrypted` (TLS) and the peer's address; null for a head read off a plain socket. */
  socket: unknown;
}

/** A hit as bytes: status line and headers (without Date, Connection and the blank line), and the body if one is sent. */
export interface RawAnswer {
  head: Buffer;
  body?: Buffer;
}

/** Writes a cached page as the answer: 304 when the client's copy is current, else the body in the best encoding the client takes. */
export function writeHit(req: IncomingMessage, res: ServerResponse, page: CachedPage): void {
  const encoding = pickEncoding(req.headers['accept-encoding']);
  const found = headsOf(page, encoding);
  if (notModified(req.headers, page)) {
    res.writeHead(304, found.notModified);
    res.end();
    return;
  }
  res.writeHead(200, found.full);
  res.end(req.method === 'HEAD' ? undefined : bodyOf(page, encoding));
}

/** A hit as bytes for the socket door; undefined when a header value cannot be written as is (Node then answers). */
export function hitBytes(req: RequestHead, page: CachedPage): RawAnswer | undefined {
  const encoding = pickEncoding(req.headers['accept-encoding']);
  const fresh = notModified(req.headers, page);
  const head = wireHead(page, encoding, fresh ? 304 : 200);
  if (!head) return undefined;
  return { head, body: fresh || req.method === 'HEAD' ? undefined : bodyOf(page, encoding) };
}

/** The answer of the render that just stored `page`: the same headers and bytes a hit will get (null body for a 304). */
export function replyStored(request: FastifyRequest, reply: FastifyReply, page: CachedPage): Buffer | null {
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const headers = pageHeaders(page, encoding, 'MISS');
  for (let i = 0; i < headers.length; i += 2) reply.header(headers[i], headers[i + 1]);
  if (notModified(request.headers, page)) {
    reply.code(304);
    return null;
  }
  return bodyOf(page, encoding);
}

/** With no memory cache: a rendered page still gets its validator and the CDN headers; true when it is answered 304. */
export function replyUnstored(request: FastifyRequest, reply: FastifyReply, page: CachedPage): boolean {
  reply.header('Cache-Control', page.cacheControl).header('Surrogate-Key', page.keys.join(' ')).header('ETag', page.etag);
  const [tagName, tags] = cacheTagHeader(page.keys);
  if (tagName) reply.header(tagName, tags);
  if (!etagMatches(request.headers['if-none-match'] as string | undefined, page.etag)) return false;
  reply.code(304);
  return true;
}
