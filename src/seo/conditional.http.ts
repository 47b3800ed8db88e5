import type { FastifyReply, FastifyRequest } from 'fastify';
import { unmodifiedSince } from '../cache/hit.http.js';

export interface GeneratedDocument {
  body: string;
  type: string;
  /** Page-cache keys of what the document shows (see src/cache/keys.ts). */
  keys: string[];
  /** The newest change it shows, sent as Last-Modified. */
  lastModified?: Date | string | null;
  /** Seconds a browser or CDN may keep it (300 unless given). */
  maxAge?: number;
}

/**
 * Sends a generated document (feed, sitemap, robots.txt) as a shareable page: the page cache
 * stores it under `keys`, gives it a strong ETag and answers If-None-Match with 304. Here only
 * its own lifetime, Last-Modified and If-Modified-Since are handled.
 */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: GeneratedDocument): FastifyReply {
  reply
    .cacheKeys(doc.keys)
    .header('Cache-Control', `public, max-age=${doc.maxAge ?? 300}`)
    .header('Vary', 'Accept-Encoding');
  const modified = doc.lastModified ? new Date(doc.lastModified) : undefined;
  if (modified && !Number.isNaN(modified.getTime())) {
    reply.header('Last-Modified', modified.toUTCString());
    if (unmodifiedSince(request.headers, modified)) return reply.code(304).send();
  }
  return reply.type(doc.type).send(doc.body);
}
