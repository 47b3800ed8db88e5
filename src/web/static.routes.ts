import type { FastifyInstance } from 'fastify';
import { pickEncoding } from '../cache/hit.http.js';
import { healthRoute } from '../ops/health.route.js';
import { siteImageRoutes } from '../seo/site.routes.js';
import { storedFileRoute } from '../storage/storage.http.js';
import { findAsset } from './assets.js';

/** An image's variant: `ab/{sha-256 of the original}/{width}.{avif|webp|jpg}`. */
const MEDIA_KEY = /^([0-9a-f]{2})\/\1[0-9a-f]{62}\/\d{1,5}\.(?:avif|webp|jpg)$/;

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

  // Image variants, from the data folder or the shared bucket: only names the library makes.
  storedFileRoute(app, '/media', MEDIA_KEY, () => app.storage.media);

  await siteImageRoutes(app);

  healthRoute(app, app.gazette.db);
}
