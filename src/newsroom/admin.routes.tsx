import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { findMediaByIds } from '../media/media.service.js';
import { listSections } from '../sections/section.service.js';
import type { Section } from '../sections/section.table.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import { formError } from './form.views.js';
import { sendHtml } from './http.js';
import { uploadImage } from './library.service.js';
import { PeoplePage } from './people.views.js';
import { createSection, mergeTags, renameTag, type SectionInput, tagIdFor, updatePerson, updateSection } from './structure.service.js';
import { SectionsPage, TagsPage, type TypedTag } from './structure.views.js';
import { requireUploadRole, uploadOf } from './upload.js';

const DONE: Record<string, string> = {
  saved: 'Saved.',
  added: 'Added.',
  merged: 'Tags merged.',
  renamed: 'Tag renamed.',
  photo: 'Photo updated.',
};

const sectionInput = (b: Record<string, unknown>): SectionInput => ({
  name: text(b.name, 200),
  slug: text(b.slug, 200),
  description: text(b.description, 1000),
  position: /^\d{1,5}$/.test(text(b.position, 10)) ? Number(b.position) : -1,
});

/** Sections (admins), tags and author profiles (editors and admins). */
export async function newsroomAdminRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  const admins = requireRole('admin');
  const desk = requireRole('editor', 'admin');

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, siteName: settings.siteName, csrf, flash: done ? DONE[done] : undefined };
  }

  /** Runs a change; a user error shows the page again with the message (and what was typed), else redirects. */
  async function change(reply: FastifyReply, work: () => Promise<unknown>, done: string, again: (error: AppError) => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      if (error instanceof AppError && error.status < 500 && error.status !== 403) return again(error);
      throw error;
    }
    return reply.redirect(done, 303);
  }

  // Sections
  const showSections = async (request: FastifyRequest, reply: FastifyReply, error?: AppError, typed?: Partial<Section>) => {
    const c = await common(request, reply);
    const sections = await listSections(db);
    return sendHtml(reply, <SectionsPage {...c} sections={sections} error={error && formError(error)} typed={typed} />, error?.status);
  };
  app.get('/admin/sections', { preHandler: admins }, (request, reply) => showSections(request, reply));
  app.post('/admin/sections', { preHandler: admins }, async (request, reply) => {
    const input = sectionInput(formBody(request));
    return change(
      reply,
      () => db.transaction().execute((trx) => createSection(trx, input)),
      '/admin/sections?done=added',
      (e) => showSections(request, reply, e, input),
    );
  });
  app.post<{ Params: { id: string } }>('/admin/sections/:id', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    const input = sectionInput(formBody(request));
    return change(
      reply,
      () => db.transaction().execute((trx) => updateSection(trx, id, input)),
      '/admin/sections?done=saved',
      (e) => showSections(request, reply, e),
    );
  });

  // Tags
  const showTags = async (request: FastifyRequest, reply: FastifyReply, error?: AppError, typed?: TypedTag) => {
    const c = await common(request, reply);
    const tags = await db
      .selectFrom('tags')
      .leftJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .select(['tags.id', 'tags.name', 'tags.slug', (eb) => eb.fn.count<number>('article_tags.article_id').as('articles')])
      .groupBy(['tags.id', 'tags.name', 'tags.slug'])
      .orderBy('tags.name')
      .execute();
    return sendHtml(
      reply,
      <TagsPage {...c} tags={tags.map((t) => ({ ...t, articles: Number(t.articles) }))} error={error && formError(error)} typed={typed} />,
      error?.status,
    );
  };
  app.get('/admin/tags', { preHandler: desk }, (request, reply) => showTags(request, reply));
  app.post<{ Params: { id: string } }>('/admin/tags/:id', { preHandler: desk }, async (request, reply) => {
    const id = idParam(request.params.id);
    const name = text(formBody(request).name, 200);
    return change(
      reply,
      () => db.transaction().execute((trx) => renameTag(trx, id, name)),
      '/admin/tags?done=renamed',
      (e) => showTags(request, reply, e, { id, name }),
    );
  });
  app.post<{ Params: { id: string } }>('/admin/tags/:id/merge', { preHandler: desk }, async (request, reply) => {
    const id = idParam(request.params.id);
    const target = text(formBody(request).target, 200);
    return change(
      reply,
      () => db.transaction().execute(async (trx) => mergeTags(trx, id, await tagIdFor(trx, target))),
      '/admin/tags?done=merged',
      (e) => showTags(request, reply, e, { id, target }),
    );
  });

  // Author profiles
  const showPeople = async (request: FastifyRequest, reply: FastifyReply, error?: AppError) => {
    const c = await common(request, reply);
    const people = await db
      .selectFrom('people')
      .leftJoin('article_authors', 'article_authors.person_id', 'people.id')
      .select([
        'people.id',
        'people.slug',
        'people.name',
        'people.bio',
        'people.photo_media_id',
        (eb) => eb.fn.count<number>('article_authors.article_id').as('articles'),
      ])
      .groupBy(['people.id', 'people.slug', 'people.name', 'people.bio', 'people.photo_media_id'])
      .orderBy('people.name')
      .execute();
    const photos = await findMediaByIds(
      db,
      people.map((p) => p.photo_media_id).filter((x): x is number => x !== null),
    );
    const rows = people.map((p) => ({
      ...p,
      articles: Number(p.articles),
      photo: (p.photo_media_id && photos.get(p.photo_media_id)) || null,
    }));
    return sendHtml(reply, <PeoplePage {...c} people={rows} error={error && formError(error)} />, error?.status);
  };
  app.get('/admin/people', { preHandler: desk }, (request, reply) => showPeople(request, reply));
  app.post<{ Params: { id: string } }>('/admin/people/:id', { preHandler: desk }, async (request, reply) => {
    const id = idParam(request.params.id);
    const b = formBody(request);
    const input = { name: text(b.name, 200), bio: text(b.bio, 5000), ...(b.remove_photo === '1' ? { photoMediaId: null } : {}) };
    return change(
      reply,
      () => db.transaction().execute((trx) => updatePerson(trx, id, input)),
      '/admin/people?done=saved',
      (e) => showPeople(request, reply, e),
    );
  });
  app.post<{ Params: { id: string } }>(
    '/admin/people/:id/photo',
    { preHandler: requireUploadRole(['editor', 'admin'], '/admin/people') },
    async (request, reply) => {
      const actor = await actorOf(request);
      const id = idParam(request.params.id);
      const { fields, file } = uploadOf(request);
      return change(
        reply,
        async () => {
          const person = await db.selectFrom('people').select(['name', 'bio']).where('id', '=', id).executeTakeFirst();
          if (!person) throw new AppError('not_found', 'No such author.');
          const mediaId = await uploadImage(db, {
            actor,
            file,
            mediaRoot,
            meta: { alt: fields.alt ?? '', caption: '', credit: fields.credit ?? '' },
          });
          await db.transaction().execute((trx) => updatePerson(trx, id, { ...person, photoMediaId: mediaId }));
        },
        '/admin/people?done=photo',
        (e) => showPeople(request, reply, e),
      );
    },
  );
}
