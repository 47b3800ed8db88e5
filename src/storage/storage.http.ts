import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { type ByteRange, contentTypeOf, type ObjectInfo, type Store } from './storage.types.js';

const FOREVER = 'public, max-age=31536000, immutable';

/** The one range of a `Range: bytes=…` header; `null` when it cannot be met; undefined to send the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | null | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  // Absent, malformed or several ranges: the whole file, as a server may answer.
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}

const tags = (header: string | string[] | undefined) =>
  String(header ?? '')
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''));

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw Object.assign(new AppError('storage_unavailable', 'The file store is not answering: try again in a moment.'), {
      cause: error,
    });
  }
}

/**
 * Answers a request with a stored file, streamed from its store: immutable caching (the names
 * are content hashes), an ETag with 304s, and one byte range with 206 (or 416 when it lies past
 * the end), as audio players and CDNs ask. A missing file is the site's 404.
 */
export async function sendStored(request: FastifyRequest, reply: FastifyReply, store: Store, key: string): Promise<FastifyReply> {
  const info: ObjectInfo | undefined = await orUnavailable(store.head(key));
  if (!info) return notFound(reply);
  reply
    .header('Cache-Control', FOREVER)
    .header('Accept-Ranges', 'bytes')
    .header('ETag', info.etag)
    .header('Last-Modified', info.modified.toUTCString())
    .type(contentTypeOf(key));
  const want = tags(request.headers['if-none-match']);
  if (want.includes('*') || want.includes(info.etag.replace(/^W\//, ''))) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const rangeHeader = ifRange && ifRange !== info.etag && ifRange !== reply.getHeader('last-modified') ? undefined : request.headers.range;
  const range = parseRange(rangeHeader, info.size);
  if (range === null) return reply.code(416).header('Content-Range', `bytes */${info.size}`).send();
  const length = range ? range.end - range.start + 1 : info.size;
  if (range) reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
  // A HEAD answer needs the headers only: the file is not opened.
  if (request.method === 'HEAD') return reply.header('Content-Length', length).send();
  const body = await orUnavailable(store.stream(key, range));
  if (!body) return notFound(reply);
  return reply.header('Content-Length', length).send(body);
}

/**
 * `GET`/`HEAD` `{prefix}/*` answered from a store: only names `pattern` accepts (the names the
 * library or the narrator make), anything else 404. HEAD is answered from the file's description.
 */
export function storedFileRoute(app: FastifyInstance, prefix: string, pattern: RegExp, store: () => Store): void {
  app.route<{ Params: { '*': string } }>({
    method: ['GET', 'HEAD'],
    url: `${prefix}/*`,
    handler: async (request, reply) => {
      const key = request.params['*'];
      if (!pattern.test(key)) return reply.callNotFound();
      return sendStored(request, reply, store(), key);
    },
  });
}
