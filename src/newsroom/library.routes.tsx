import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ARTICLE_ROLES, canEditMedia } from '../articles/article.rules.js';
import { AppError, notFound } from '../errors.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, parseId, query, text, wantsJson } from '../web/request.parse.js';
import { smallestJpeg } from './editor.side.js';
import { formError } from './form.views.js';
import { sendHtml } from './http.js';
import { deleteMedia, listLibrary, type MediaMeta, updateMediaMeta, uploadImage } from './library.service.js';
import { LibraryPage } from './library.views.js';
import { requireUploadRole, uploadOf } from './upload.js';

const DONE: Record<string, string> = { uploaded: 'Image uploaded.', saved: 'Details saved.', deleted: 'Image deleted.' };

const metaOf = (f: Record<string, unknown>): MediaMeta => ({
  alt: text(f.alt, 2000),
  caption: text(f.caption, 5000),
  credit: text(f.credit, 2000),
});

export async function newsroomLibraryRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  const staff = requireRole(...ARTICLE_ROLES);

  const forArticle = (request: FastifyRequest) => {
    return parseId(query(request).for);
  };

  async function show(request: FastifyRequest, reply: FastifyReply, extra: { typed?: MediaMeta; error?: AppError } = {}) {
    const actor = await actorOf(request);
    const q = query(request);
    const page = q.page && /^\d{1,6}$/.test(q.page) ? Math.max(1, Number(q.page)) : 1;
    const [settings, lib] = await Promise.all([app.gazette.settings(), listLibrary(db, page)]);
    const csrf = await csrfToken(request, reply);
    return sendHtml(
      reply,
      <LibraryPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        items={lib.items}
        total={lib.total}
        page={page}
        forArticle={forArticle(request)}
        canDelete={actor.role !== 'writer'}
        typed={extra.typed}
        error={extra.error ? formError(extra.error) : undefined}
        flash={q.done ? DONE[q.done] : undefined}
      />,
      extra.error?.status,
    );
  }

  app.get('/admin/media', { preHandler: staff }, async (request, reply) => {
    if (query(request).format === 'json') {
      const { items } = await listLibrary(db, 1);
      return reply.send({
        items: items.map((m) => ({ id: m.id, thumb: smallestJpeg(m), alt: m.alt, caption: m.caption, credit: m.credit })),
      });
    }
    return show(request, reply);
  });

  // Upload: a plain form (redirect back) or a script (JSON with the new image).
  app.post('/admin/media', { preHandler: requireUploadRole(ARTICLE_ROLES) }, async (request, reply) => {
    const actor = await actorOf(request);
    const { fields, file } = uploadOf(request);
    const meta = metaOf(fields);
    try {
      const id = await uploadImage(db, { actor, file, meta, mediaRoot });
      if (wantsJson(request)) {
        const { items } = await listLibrary(db, 1);
        const item = items.find((m) => m.id === id);
        return reply.code(201).send({
          id,
          thumb: item ? smallestJpeg(item) : undefined,
          alt: item?.alt ?? '',
          credit: item?.credit ?? '',
          caption: item?.caption ?? '',
        });
      }
      const f = forArticle(request);
      return reply.redirect(`/admin/media?${f ? `for=${f}&` : ''}done=uploaded`, 303);
    } catch (error) {
      if (!wantsJson(request) && error instanceof AppError && error.status < 500) return show(request, reply, { typed: meta, error });
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/media/:id', { preHandler: staff }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    await db.transaction().execute(async (trx) => {
      const image = await trx.selectFrom('media').select(['id', 'uploaded_by']).where('id', '=', id).executeTakeFirst();
      if (!image) throw notFound('No such image.');
      if (!canEditMedia(actor, image)) {
        throw new AppError('forbidden', 'Writers change the details of the images they uploaded: ask an editor to change this one.');
      }
      await updateMediaMeta(trx, { id, meta: metaOf(formBody(request)) });
    });
    return reply.redirect('/admin/media?done=saved', 303);
  });

  app.post<{ Params: { id: string } }>(
    '/admin/media/:id/delete',
    { preHandler: requireRole('editor', 'admin') },
    async (request, reply) => {
      const actor = await actorOf(request);
      await deleteMedia(db, { id: idParam(request.params.id), actor, mediaRoot });
      return reply.redirect('/admin/media?done=deleted', 303);
    },
  );
}
