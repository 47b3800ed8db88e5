import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a generated document (feed, sitemap, robots.txt) with validators: a strong ETag of the
 * bytes and Last-Modified from the newest change it shows; answers 304 when the client's copy
 * is current. A page cache in front can keep these answers as they are.
 */
export function sendWithValidators(
  request: FastifyRequest,
  reply: FastifyReply,
  doc: { body: string; type: string; lastModified?: Date | string | null; maxAge?: number },
): FastifyReply {
  const etag = `"${createHash('sha256').update(doc.body).digest('base64url').slice(0, 27)}"`;
  const modified = doc.lastModified ? new Date(doc.lastModified) : undefined;
  const lastModified = modified && !Number.isNaN(modified.getTime()) ? modified : undefined;
  reply
    .header('ETag', etag)
    .header('Cache-Control', `public, max-age=${doc.maxAge ?? 300}`)
    .header('Vary', 'Accept-Encoding');
  if (lastModified) reply.header('Last-Modified', lastModified.toUTCString());
  if (isFresh(request, etag, lastModified)) return reply.code(304).send();
  return reply.type(doc.type).send(doc.body);
}

function isFresh(request: FastifyRequest, etag: string, lastModified?: Date): boolean {
  const inm = request.headers['if-none-match'];
  if (inm) {
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); weak comparison.
    const tags = String(inm)
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes(etag) || tags.includes('*');
  }
  const ims = request.headers['if-modified-since'];
  if (ims && lastModified) {
    const since = Date.parse(String(ims));
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
