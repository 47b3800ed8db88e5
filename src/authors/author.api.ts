import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam, PagedQuery, type PagedQueryType, writeErrors } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { mediaUrl } from '../articles/article.urls.js';
import { notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { findMediaByIds } from '../media/media.service.js';
import { createPerson, updatePerson } from '../newsroom/structure.service.js';
import { requireApiRole } from '../web/auth.js';
import { findPersonById, listPeople } from './person.service.js';
import type { Person } from './person.table.js';

const PhotoSchema = Type.Union([
  Type.Object({ id: Type.Integer(), width: Type.Integer(), height: Type.Integer(), url: Type.String() }),
  Type.Null(),
]);

export const AuthorApiSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String({ description: 'The name on bylines' }),
  bio: Type.String(),
  photo: PhotoSchema,
  url: Type.String({ description: 'Path of the author page: /author/{slug}' }),
});

const writable = {
  name: Type.String({ maxLength: 200, description: '1 to 80 characters' }),
  bio: Type.String({ maxLength: 5000, description: 'At most 2000 characters' }),
  photo_id: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'A media library id (POST /api/v1/media); null removes the photo',
  }),
};
const AuthorCreateSchema = Type.Object(
  {
    name: writable.name,
    slug: Type.Optional(Type.String({ maxLength: 200, description: 'Omitted: from the name. It stays when the name changes.' })),
    bio: Type.Optional(writable.bio),
    photo_id: Type.Optional(writable.photo_id),
  },
  { additionalProperties: false },
);
const AuthorPatchSchema = Type.Object(
  { name: Type.Optional(writable.name), bio: Type.Optional(writable.bio), photo_id: Type.Optional(writable.photo_id) },
  { additionalProperties: false },
);
interface AuthorBody {
  name?: string;
  slug?: string;
  bio?: string;
  photo_id?: number | null;
}

async function authorsJson(db: Executor, people: Person[]) {
  const photos = await findMediaByIds(
    db,
    people.map((p) => p.photo_media_id).filter((x): x is number => x !== null),
  );
  return people.map((p) => {
    const m = p.photo_media_id ? photos.get(p.photo_media_id) : undefined;
    const jpeg = m?.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      bio: p.bio,
      photo: m && jpeg ? { id: m.id, width: m.width, height: m.height, url: mediaUrl(jpeg.path) } : null,
      url: `/author/${p.slug}`,
    };
  });
}

/**
 * /api/v1/authors (the people on bylines): anyone lists them; editors and administrators create
 * and change them, as in the newsroom's author profiles.
 */
export async function authorApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const desk = requireApiRole('editor', 'admin');

  const found = async (id: number) => {
    const p = await findPersonById(db, id);
    if (!p) throw notFound('No such author.');
    return (await authorsJson(db, [p]))[0];
  };

  app.get<{ Querystring: PagedQueryType }>(
    '/api/v1/authors',
    {
      attachValidation: true,
      schema: {
        summary: 'Bylined people by name, a page at a time',
        tags: ['authors'],
        querystring: PagedQuery,
        response: {
          200: Type.Object({ authors: Type.Array(AuthorApiSchema), next_page: Type.Union([Type.Integer(), Type.Null()]) }),
          422: ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const page = request.query.page ?? 1;
      const list = await listPeople(db, { page, limit: request.query.limit ?? 100, slug: request.query.slug });
      reply.header('Cache-Control', 'public, max-age=60');
      return { authors: await authorsJson(db, list.rows), next_page: list.more ? page + 1 : null };
    },
  );

  app.post<{ Body: AuthorBody }>(
    '/api/v1/authors',
    {
      attachValidation: true,
      preHandler: desk,
      schema: {
        summary: 'Create an author (editors and administrators); a slug taken → 409',
        tags: ['authors'],
        security: [{ bearer: [] }],
        body: AuthorCreateSchema,
        response: { 201: AuthorApiSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const b = request.body;
      const id = await db
        .transaction()
        .execute((trx) => createPerson(trx, { name: b.name ?? '', slug: b.slug, bio: b.bio ?? '', photoMediaId: b.photo_id }));
      return reply
        .code(201)
        .header('Location', `/api/v1/authors/${id}`)
        .send(await found(id));
    },
  );

  app.patch<{ Params: { id: string }; Body: AuthorBody }>(
    '/api/v1/authors/:id',
    {
      attachValidation: true,
      preHandler: desk,
      schema: {
        summary: 'Change an author’s name, biography or photo (editors and administrators); the address stays',
        tags: ['authors'],
        security: [{ bearer: [] }],
        params: IdParams,
        body: AuthorPatchSchema,
        response: { 200: AuthorApiSchema, ...writeErrors },
      },
    },
    async (request) => {
      checkIdParam(request, 'No such author.');
      checkValidation(request);
      const id = Number(request.params.id);
      const b = request.body ?? {};
      await db.transaction().execute(async (trx) => {
        const current = await findPersonById(trx, id);
        if (!current) throw notFound('No such author.');
        await updatePerson(trx, id, {
          name: b.name ?? current.name,
          bio: b.bio ?? current.bio,
          ...(b.photo_id !== undefined ? { photoMediaId: b.photo_id } : {}),
        });
      });
      return found(id);
    },
  );
}
