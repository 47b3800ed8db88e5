import type { FastifyInstance } from 'fastify';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { pageNumber, renderDocument } from '../web/render.js';
import { asRecord, idParam, wantsJson } from '../web/request.parse.js';
import { countBans, isBanState, listBans } from './ban.repo.js';
import { liftBan } from './ban.service.js';
import { BansPage } from './ban.views.js';

const PER_PAGE = 50;
const ROLES = ['moderator', 'editor', 'admin'] as const;

/** The desk's bans page: bans in force with a Lift button, and the lifted or ended ones. */
export async function banRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const guard = { preHandler: requireRole(...ROLES) };

  app.get('/admin/comments/bans', guard, async (request, reply) => {
    const q = asRecord(request.query);
    const state = isBanState(q.state) ? q.state : 'active';
    const page = pageNumber(q);
    const now = new Date().toISOString();
    const [rows, active, ended] = await Promise.all([
      listBans(db, { state, now, offset: (page - 1) * PER_PAGE, limit: PER_PAGE + 1 }),
      countBans(db, 'active', now),
      countBans(db, 'ended', now),
    ]);
    const settings = await app.gazette.settings();
    const html = renderDocument(
      <BansPage
        siteName={settings.siteName}
        actor={await actorOf(request)}
        csrf={await csrfToken(request, reply)}
        state={state}
        rows={rows.slice(0, PER_PAGE)}
        counts={{ active, ended }}
        page={page}
        hasMore={rows.length > PER_PAGE}
        flash={typeof q.done === 'string' ? q.done.slice(0, 200) : undefined}
      />,
    );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post<{ Params: { id: string } }>('/admin/comments/bans/:id/lift', guard, async (request, reply) => {
    const id = idParam(request.params.id, 'There is no such ban.');
    await liftBan(db, { id, reason: asRecord(request.body).reason, actor: await actorOf(request) });
    if (wantsJson(request)) return { id, status: 'lifted' };
    return reply.redirect(`/admin/comments/bans?done=${encodeURIComponent('Ban lifted.')}`, 303);
  });
}
