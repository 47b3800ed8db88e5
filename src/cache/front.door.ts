import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { cacheTagHeader } from '../cdn/cloudflare.js';
import { type ProxyTrust, securityHeadersFor } from '../web/security.js';
import { isPersonal, pageUrl, pickEncoding } from './cache.http.js';
import { type CachedPage, encodedEtag, notModified, type PageCache } from './page.cache.js';
import { admitQueued } from './render.limit.js';

type Encoding = 'br' | 'gzip' | null;

/**
 * What describes a stored page in one encoding, as the flat name/value list `writeHead` takes:
 * the same for a hit written here and for the render that stored it (`X-Cache` tells them apart).
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

export const bodyOf = (page: CachedPage, encoding: Encoding) => (encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.body);

interface Heads {
  /** For a 304: what describes the page. */
  notModified: string[];
  /** For a 200: the same and the body's length. */
  full: string[];
  /** Either as bytes with its status line, made on first use; null when a value cannot go on the wire as is. */
  wire: { 200?: Buffer | null; 304?: Buffer | null };
}

/** The headers of a hit in one encoding, as the flat name/value lists `writeHead` takes, built once per page. */
const heads = new WeakMap<CachedPage, Map<Encoding, Heads>>();

function headersOf(page: CachedPage, encoding: Encoding): Heads {
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

/** Status line and headers of a hit (without Date, Connection and the blank line), as bytes for the socket door. */
function wireHead(page: CachedPage, encoding: Encoding, status: 200 | 304): Buffer | null {
  const found = headersOf(page, encoding);
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

/** What the door reads of a request: Node's IncomingMessage, or a head read straight off the socket. */
export interface RequestHead {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  /** Read only for `encrypted` (TLS); null for a head read off a plain socket. */
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
  const headers = headersOf(page, encoding);
  if (notModified(req.headers, page)) {
    res.writeHead(304, headers.notModified);
    res.end();
    return;
  }
  res.writeHead(200, headers.full);
  res.end(req.method === 'HEAD' ? undefined : bodyOf(page, encoding));
}

/** Requests the front door already looked up and missed, with their cache key (the hooks need not look again). */
export const missedAt = new WeakMap<IncomingMessage, string>();

/**
 * The server's first look at every request: a reader page in the cache is written straight to
 * the socket before Fastify builds its request and reply objects, routes, or runs any hook.
 * Anything else (a miss, a write, a personal request) goes on to the application.
 */
export class FrontDoor {
  /** Set once the page cache is installed; without it every request goes on. */
  store: PageCache | undefined;

  constructor(private readonly trustProxy: ProxyTrust) {}

  /** The cached page a reader's GET or HEAD asks for, with its cache key (which a miss hands on). */
  private find(req: RequestHead): { page?: CachedPage; url?: string } {
    const store = this.store;
    if (!store || (req.method !== 'GET' && req.method !== 'HEAD') || isPersonal(req)) return {};
    const url = pageUrl(req, this.trustProxy);
    return { page: store.get(url), url };
  }

  /** True when the request was answered here: from the cache, or refused for a connection with too many waiting. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const { page, url } = this.find(req);
    if (!page) {
      if (!admitQueued(req, res)) return true;
      if (url) missedAt.set(req, url);
      return false;
    }
    writeHit(req, res, page);
    return true;
  }

  /** A hit as bytes for the socket door (src/cache/socket.door.ts); undefined when the application must answer. */
  answer(req: RequestHead): RawAnswer | undefined {
    const { page } = this.find(req);
    if (!page) return undefined;
    const encoding = pickEncoding(req.headers['accept-encoding']);
    const fresh = notModified(req.headers, page);
    const head = wireHead(page, encoding, fresh ? 304 : 200);
    if (!head) return undefined;
    return { head, body: fresh || req.method === 'HEAD' ? undefined : bodyOf(page, encoding) };
  }
}
