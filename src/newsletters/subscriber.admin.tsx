import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { idParam, query, text } from '../web/request.parse.js';
import { STATUSES, SubscribersPage } from './subscriber.admin.views.js';
import { eraseSubscriber, exportCsv, exportSubscriber } from './subscriber.privacy.js';
import { findSubscriberById, searchSubscribers } from './subscriber.repo.js';

const PAGE_SIZE = 50;

/** /admin/newsletters/subscribers: editors and administrators search, export and erase subscribers. */
export async function subscriberAdminRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const desk = requireRole('editor', 'admin');

  app.get('/admin/newsletters/subscribers', { preHandler: desk }, async (request, reply) => {
    const qs = query(request);
    const q = text(qs.q, 254).trim();
    const status = (STATUSES as readonly string[]).includes(qs.status ?? '') ? String(qs.status) : '';
    const page = /^\d{1,6}$/.test(qs.page ?? '') ? Math.max(1, Number(qs.page)) : 1;
    const [actor, settings, csrf, found] = await Promise.all([
      actorOf(request),
      app.gazette.settings(),
      csrfToken(request, reply),
      searchSubscribers(db, { q, status, page, size: PAGE_SIZE }),
    ]);
    return sendHtml(
      reply,
      <SubscribersPage
        actor={actor}
        siteName={settings.siteName}
        settings={settings}
        csrf={csrf}
        flash={qs.done === 'erased' ? 'The subscriber was erased.' : undefined}
        rows={found.rows}
        total={found.total}
        q={q}
        status={status}
        page={page}
        size={PAGE_SIZE}
      />,
    );
  });

  const subscriberOf = async (raw: string) => {
    const subscriber = await findSubscriberById(db, idParam(raw));
    if (!subscriber) throw new AppError('not_found', 'That subscriber no longer exists.');
    return subscriber;
  };

  app.get<{ Params: { id: string } }>('/admin/newsletters/subscribers/:id/export', { preHandler: desk }, async (request, reply) => {
    const subscriber = await subscriberOf(request.params.id);
    const data = await exportSubscriber(db, subscriber.email);
    const csv = query(request).format === 'csv';
    reply.header('Content-Disposition', `attachment; filename="subscriber-${subscriber.id}.${csv ? 'csv' : 'json'}"`);
    if (csv) return reply.type('text/csv; charset=utf-8').send(exportCsv(data));
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  app.post<{ Params: { id: string } }>('/admin/newsletters/subscribers/:id/erase', { preHandler: desk }, async (request, reply) => {
    const subscriber = await subscriberOf(request.params.id);
    await db.transaction().execute((trx) => eraseSubscriber(trx, subscriber.email));
    return reply.redirect('/admin/newsletters/subscribers?done=erased', 303);
  });
}
