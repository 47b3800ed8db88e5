import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { findAsset } from './assets.js';

/** Built client files (hashed names, cached forever), uploaded media, and the health check. */
export async function staticRoutes(app: FastifyInstance) {
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = findAsset(request.params.file);
    if (!asset) return reply.callNotFound();
    const accept = String(request.headers['accept-encoding'] ?? '');
    reply.header('Cache-Control', 'public, max-age=31536000, immutable').header('Vary', 'Accept-Encoding').type(asset.type);
    if (/\bbr\b/.test(accept)) return reply.header('Content-Encoding', 'br').send(asset.br);
    if (/\bgzip\b/.test(accept)) return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });

  await app.register(fastifyStatic, {
    root: join(app.gazette.mediaRoot),
    prefix: '/media/',
    decorateReply: false,
    index: false,
    list: false,
    immutable: true,
    maxAge: '365d',
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.gazette.db);
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch {
      return reply.code(503).header('Cache-Control', 'no-store').send({ status: 'unavailable' });
    }
  });
}
