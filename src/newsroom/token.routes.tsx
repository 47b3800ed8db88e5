import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { listTokens } from '../users/token.service.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import { formError } from './form.views.js';
import { sendHtml } from './http.js';
import { createStaffToken, revokeStaffToken } from './staff.service.js';
import { TokensPage } from './token.views.js';

const DONE: Record<string, string> = { revoked: 'Token revoked: it no longer works.' };

/** `/admin/tokens`: administrators list, create and revoke API tokens. */
export async function newsroomTokenRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const admins = requireRole('admin');

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; typed?: Record<string, string>; created?: { name: string; token: string } } = {},
  ) => {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return sendHtml(
      reply,
      <TokensPage
        siteName={settings.siteName}
        settings={settings}
        actor={actor}
        csrf={csrf}
        tokens={await listTokens(db)}
        created={extra.created}
        typed={extra.typed}
        error={extra.error && formError(extra.error)}
        flash={done ? DONE[done] : undefined}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/tokens', { preHandler: admins }, (request, reply) => show(request, reply));

  app.post('/admin/tokens', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const b = formBody(request);
    const typed = { name: text(b.name, 200), role: text(b.role, 20) };
    try {
      const { token } = await db.transaction().execute((trx) => createStaffToken(trx, { actor, ...typed }));
      // The secret is shown once, on this answer, never in a URL.
      return show(request, reply, { created: { name: typed.name.trim(), token } });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return show(request, reply, { error, typed });
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    try {
      await db.transaction().execute((trx) => revokeStaffToken(trx, { actor, id }));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return show(request, reply, { error });
      throw error;
    }
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });
}
