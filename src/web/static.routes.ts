import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pickEncoding } from '../cache/cache.http.js';
import { siteImageRoutes } from '../seo/site.routes.js';
import { findAsset } from './assets.js';

/** Built client files (hashed names, cached forever), uploaded media, the site's icons and images, and the health check. */
export async function staticRoutes(app: FastifyInstance) {
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = findAsset(request.params.file);
    if (!asset) return reply.callNotFound();
    // Precompressed at build time; q=0 refuses a coding, as for pages.
    const encoding = pickEncoding(request.headers['accept-encoding']);
    reply.header('Cache-Control', 'public, max-age=31536000, immutable').header('Vary', 'Accept-Encoding').type(asset.type);
    if (encoding === 'br') return reply.header('Content-Encoding', 'br').send(asset.br);
    if (encoding === 'gzip') return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
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

  await siteImageRoutes(app);

  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.gazette.db);
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch {
      return reply.code(503).header('Cache-Control', 'no-store').send({ status: 'unavailable' });
    }
  });
}
