import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam, PagedQuery, type PagedQueryType, writeErrors } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { notFound } from '../errors.js';
import { createTag, renameTag } from '../newsroom/structure.service.js';
import { requireApiRole } from '../web/auth.js';
import { findTagById, listTags } from './tag.service.js';
import type { Tag } from './tag.table.js';

export const TagApiSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  url: Type.String({ description: 'Path of the tag page: /tag/{slug}' }),
});

const TagBodySchema = Type.Object(
  { name: Type.String({ maxLength: 200, description: '1 to 80 characters; the slug follows the name' }) },
  { additionalProperties: false },
);

const tagJson = (t: Tag) => ({ id: t.id, slug: t.slug, name: t.name, url: `/tag/${t.slug}` });

/**
 * /api/v1/tags: anyone lists them; editors and administrators create and rename them, as in the
 * newsroom (a rename moves the tag page and leaves a 301 at the old address).
 */
export async function tagApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const desk = requireApiRole('editor', 'admin');

  const found = async (id: number) => {
    const t = await findTagById(db, id);
    if (!t) throw notFound('No such tag.');
    return tagJson(t);
  };

  app.get<{ Querystring: PagedQueryType }>(
    '/api/v1/tags',
    {
      attachValidation: true,
      schema: {
        summary: 'Tags by name, a page at a time',
        tags: ['tags'],
        querystring: PagedQuery,
        response: {
          200: Type.Object({ tags: Type.Array(TagApiSchema), next_page: Type.Union([Type.Integer(), Type.Null()]) }),
          422: ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const page = request.query.page ?? 1;
      const list = await listTags(db, { page, limit: request.query.limit ?? 100, slug: request.query.slug });
      reply.header('Cache-Control', 'public, max-age=60');
      return { tags: list.rows.map(tagJson), next_page: list.more ? page + 1 : null };
    },
  );

  app.post<{ Body: { name: string } }>(
    '/api/v1/tags',
    {
      attachValidation: true,
      preHandler: desk,
      schema: {
        summary: 'Create a tag (editors and administrators); a name another tag has → 409',
        tags: ['tags'],
        security: [{ bearer: [] }],
        body: TagBodySchema,
        response: { 201: TagApiSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const id = await db.transaction().execute((trx) => createTag(trx, request.body.name));
      return reply
        .code(201)
        .header('Location', `/api/v1/tags/${id}`)
        .send(await found(id));
    },
  );

  app.patch<{ Params: { id: string }; Body: { name: string } }>(
    '/api/v1/tags/:id',
    {
      attachValidation: true,
      preHandler: desk,
      schema: {
        summary: 'Rename a tag (editors and administrators); its page moves and the old address redirects',
        tags: ['tags'],
        security: [{ bearer: [] }],
        params: IdParams,
        body: TagBodySchema,
        response: { 200: TagApiSchema, ...writeErrors },
      },
    },
    async (request) => {
      checkIdParam(request, 'No such tag.');
      checkValidation(request);
      const id = Number(request.params.id);
      await db.transaction().execute((trx) => renameTag(trx, id, request.body.name));
      return found(id);
    },
  );
}
