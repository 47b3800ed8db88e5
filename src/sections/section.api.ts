import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam, writeErrors } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { notFound } from '../errors.js';
import { createSection, type SectionInput, updateSection } from '../newsroom/structure.service.js';
import { requireApiRole } from '../web/auth.js';
import { findSectionById, listSections, nextSectionPosition } from './section.service.js';
import type { Section } from './section.table.js';

export const SectionApiSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  position: Type.Integer({ description: 'Order in the navigation, smallest first' }),
  url: Type.String({ description: 'Path of the section page: /{slug}' }),
});

const writable = {
  name: Type.String({ maxLength: 200, description: '1 to 80 characters' }),
  slug: Type.String({ maxLength: 200, description: 'Lower-case letters, digits and single hyphens; omitted: from the name' }),
  description: Type.String({ maxLength: 1000, description: 'At most 500 characters' }),
  position: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Omitted on create: after the last section' }),
};
const SectionCreateSchema = Type.Object(
  {
    name: writable.name,
    slug: Type.Optional(writable.slug),
    description: Type.Optional(writable.description),
    position: Type.Optional(writable.position),
  },
  { additionalProperties: false },
);
const SectionPatchSchema = Type.Object(
  {
    name: Type.Optional(writable.name),
    slug: Type.Optional(writable.slug),
    description: Type.Optional(writable.description),
    position: Type.Optional(writable.position),
  },
  { additionalProperties: false },
);
type SectionBody = Partial<SectionInput>;

const sectionJson = (s: Section) => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  position: s.position,
  url: `/${s.slug}`,
});

/**
 * /api/v1/sections: anyone lists them; administrators create and change them, as in the newsroom
 * (the same rules, a new slug keeps the old addresses answering 301, caches purge on the event).
 */
export async function sectionApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const admins = requireApiRole('admin');

  const found = async (id: number) => {
    const s = await findSectionById(db, id);
    if (!s) throw notFound('No such section.');
    return sectionJson(s);
  };

  app.get(
    '/api/v1/sections',
    {
      schema: {
        summary: 'Every section, in navigation order',
        tags: ['sections'],
        response: { 200: Type.Object({ sections: Type.Array(SectionApiSchema) }) },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=60');
      return { sections: (await listSections(db)).map(sectionJson) };
    },
  );

  app.post<{ Body: SectionBody }>(
    '/api/v1/sections',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        summary: 'Create a section (administrators)',
        tags: ['sections'],
        security: [{ bearer: [] }],
        body: SectionCreateSchema,
        response: { 201: SectionApiSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const b = request.body;
      const id = await db.transaction().execute(async (trx) =>
        createSection(trx, {
          name: b.name ?? '',
          slug: b.slug ?? '',
          description: b.description ?? '',
          position: b.position ?? (await nextSectionPosition(trx)),
        }),
      );
      return reply
        .code(201)
        .header('Location', `/api/v1/sections/${id}`)
        .send(await found(id));
    },
  );

  app.patch<{ Params: { id: string }; Body: SectionBody }>(
    '/api/v1/sections/:id',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        summary: 'Change a section: its name, slug (old addresses redirect), description or position (administrators)',
        tags: ['sections'],
        security: [{ bearer: [] }],
        params: IdParams,
        body: SectionPatchSchema,
        response: { 200: SectionApiSchema, ...writeErrors, 404: ApiErrorSchema },
      },
    },
    async (request) => {
      checkIdParam(request, 'No such section.');
      checkValidation(request);
      const id = Number(request.params.id);
      const b = request.body ?? {};
      await db.transaction().execute(async (trx) => {
        const current = await findSectionById(trx, id);
        if (!current) throw notFound('No such section.');
        await updateSection(trx, id, {
          name: b.name ?? current.name,
          slug: b.slug ?? current.slug,
          description: b.description ?? current.description,
          position: b.position ?? current.position,
        });
      });
      return found(id);
    },
  );
}
