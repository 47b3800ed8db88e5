import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document is generated from the route schemas themselves: register this before
 * any /api/v1 route, give each route a `schema` (TypeBox), and it appears in the document.
 */
export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gazette API',
        version: '1.0.0',
        description: 'Articles, comments and moderation. Send tokens as Authorization: Bearer.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    hideUntagged: false,
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/v1') ? schema : { ...schema, hide: true }, url }),
  });
}

export async function openApiRoutes(app: FastifyInstance) {
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=300');
    return app.swagger();
  });
}
