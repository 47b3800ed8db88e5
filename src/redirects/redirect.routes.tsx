import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import { MAX_PATH } from './redirect.path.js';
import { findRedirectById, listRedirects } from './redirect.repo.js';
import { addRedirect, changeRedirect, deleteRedirect } from './redirect.service.js';
import { RedirectEditPage, RedirectsPage, type TypedRedirect } from './redirect.views.js';

const PAGE_SIZE = 50;

const DONE: Record<string, string> = {
  added: 'Redirect added.',
  saved: 'Redirect saved.',
  deleted: 'Redirect deleted.',
};

/** A refusal the form can show (a 4xx other than a role or CSRF refusal); anything else goes on up. */
const shown = (error: unknown): error is AppError => error instanceof AppError && error.status < 500 && error.status !== 403;

/** /admin/redirects: editors and administrators see them, administrators change them. */
export async function redirectRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const admins = requireRole('admin');
  const desk = requireRole('editor', 'admin');

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, settings, siteName: settings.siteName, csrf, flash: done ? DONE[done] : undefined };
  }

  const showList = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; typed?: TypedRedirect } = {}) => {
    const c = await common(request, reply);
    const qs = query(request);
    const q = text(qs.q, MAX_PATH).trim();
    const page = /^\d{1,6}$/.test(qs.page ?? '') ? Math.max(1, Number(qs.page)) : 1;
    const list = await listRedirects(db, { q, page, size: PAGE_SIZE });
    return sendHtml(
      reply,
      <RedirectsPage
        {...c}
        list={list}
        q={q}
        page={page}
        canEdit={c.actor.role === 'admin'}
        typed={extra.typed}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };

  const showEdit = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: { error?: AppError; typedTo?: string } = {}) => {
    const row = await findRedirectById(db, id);
    if (!row) throw new AppError('not_found', 'That redirect no longer exists.');
    const c = await common(request, reply);
    return sendHtml(
      reply,
      <RedirectEditPage {...c} row={row} typedTo={extra.typedTo} error={extra.error && formError(extra.error)} />,
      extra.error?.status,
    );
  };

  app.get('/admin/redirects', { preHandler: desk }, (request, reply) => showList(request, reply));

  app.post('/admin/redirects', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const b = formBody(request);
    const typed = { from: text(b.from, 2000), to: text(b.to, 2000) };
    try {
      await db.transaction().execute((trx) => addRedirect(trx, { ...typed, actor }));
    } catch (error) {
      if (shown(error)) return showList(request, reply, { error, typed });
      throw error;
    }
    return reply.redirect('/admin/redirects?done=added', 303);
  });

  app.get<{ Params: { id: string } }>('/admin/redirects/:id', { preHandler: admins }, (request, reply) =>
    showEdit(request, reply, idParam(request.params.id)),
  );

  app.post<{ Params: { id: string } }>('/admin/redirects/:id', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    const to = text(formBody(request).to, 2000);
    try {
      await db.transaction().execute((trx) => changeRedirect(trx, { id, to, actor }));
    } catch (error) {
      if (shown(error) && error.status !== 404) return showEdit(request, reply, id, { error, typedTo: to });
      throw error;
    }
    return reply.redirect('/admin/redirects?done=saved', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/redirects/:id/delete', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    await db.transaction().execute((trx) => deleteRedirect(trx, { id, actor }));
    return reply.redirect('/admin/redirects?done=deleted', 303);
  });
}
