import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam, writeErrors } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { actorOf, requireApiRole } from '../web/auth.js';
import { MAX_PATH } from './redirect.path.js';
import { listRedirects } from './redirect.repo.js';
import { addRedirect, deleteRedirect } from './redirect.service.js';
import type { Redirect } from './redirect.table.js';

export const RedirectApiSchema = Type.Object({
  id: Type.Integer(),
  from: Type.String({ description: 'The old path (normalised)' }),
  to: Type.String({ description: 'Where it answers 301 to: a path, possibly with a query' }),
  article_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The article whose move made it, if one did' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const RedirectListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: MAX_PATH, description: 'Text found anywhere in either path' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Items per page (default 100)' })),
});

const RedirectCreateSchema = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 4000, description: 'The old path, e.g. /2019/05/12/old-slug/' }),
    to: Type.String({ minLength: 1, maxLength: 4000, description: 'The new path on this site' }),
  },
  { additionalProperties: false },
);

const redirectJson = (r: Redirect) => ({
  id: r.id,
  from: r.from_path,
  to: r.to_path,
  article_id: r.article_id,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

/**
 * /api/v1/redirects, for administrators: the same rules as the newsroom's list (paths
 * normalised, chains kept to one hop, loops and paths of published articles refused).
 */
export async function redirectApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const admins = requireApiRole('admin');

  app.get<{ Querystring: { q?: string; page?: number; limit?: number } }>(
    '/api/v1/redirects',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        summary: 'Redirects, most recently changed first (administrators)',
        tags: ['redirects'],
        security: [{ bearer: [] }],
        querystring: RedirectListQuery,
        response: {
          200: Type.Object({ redirects: Type.Array(RedirectApiSchema), next_page: Type.Union([Type.Integer(), Type.Null()]) }),
          401: ApiErrorSchema,
          403: ApiErrorSchema,
          422: ApiErrorSchema,
        },
      },
    },
    async (request) => {
      checkValidation(request);
      const page = request.query.page ?? 1;
      const list = await listRedirects(db, { q: (request.query.q ?? '').trim(), page, size: request.query.limit ?? 100 });
      return { redirects: list.rows.map(redirectJson), next_page: list.more ? page + 1 : null };
    },
  );

  app.post<{ Body: { from: string; to: string } }>(
    '/api/v1/redirects',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        summary: 'Add a redirect (administrators); the old path already redirecting elsewhere → 409, a loop → 422',
        tags: ['redirects'],
        security: [{ bearer: [] }],
        body: RedirectCreateSchema,
        response: { 201: RedirectApiSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const actor = await actorOf(request);
      const { from, to } = request.body;
      const row = await db.transaction().execute((trx) => addRedirect(trx, { from, to, actor }));
      return reply.code(201).send(redirectJson(row));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/redirects/:id',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        summary: 'Delete a redirect (administrators)',
        tags: ['redirects'],
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 204: Type.Null(), 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      checkIdParam(request, 'That redirect no longer exists.');
      const actor = await actorOf(request);
      await db.transaction().execute((trx) => deleteRedirect(trx, { id: Number(request.params.id), actor }));
      return reply.code(204).send();
    },
  );
}
