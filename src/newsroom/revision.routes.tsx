import type { FastifyInstance } from 'fastify';
import { ARTICLE_ROLES, assertView } from '../articles/article.rules.js';
import { findArticleRow } from '../articles/article.workflow.js';
import { notFound } from '../errors.js';
import { diffSnapshots } from '../revisions/revision.diff.js';
import { restoreRevision } from '../revisions/revision.restore.js';
import { findRevision, listRevisions } from '../revisions/revision.service.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { idParam, parseId, query } from '../web/request.parse.js';
import { sendHtml } from './http.js';
import { RevisionDiffPage, RevisionListPage } from './revision.views.js';

export async function newsroomRevisionRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const staff = requireRole(...ARTICLE_ROLES);

  async function load(request: Parameters<typeof actorOf>[0], rawId: string) {
    const actor = await actorOf(request);
    const id = idParam(rawId);
    const row = await findArticleRow(db, id);
    assertView(actor, row);
    return { actor, row };
  }

  app.get<{ Params: { id: string } }>('/admin/articles/:id/revisions', { preHandler: staff }, async (request, reply) => {
    const { actor, row } = await load(request, request.params.id);
    const [settings, revisions, csrf] = await Promise.all([app.gazette.settings(), listRevisions(db, row.id), csrfToken(request, reply)]);
    return sendHtml(
      reply,
      <RevisionListPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        settings={settings}
        article={row}
        revisions={revisions}
        restored={query(request).done === 'restored'}
      />,
    );
  });

  app.get<{ Params: { id: string } }>('/admin/articles/:id/revisions/diff', { preHandler: staff }, async (request, reply) => {
    const { actor, row } = await load(request, request.params.id);
    const q = query(request);
    const from = await findRevision(db, row.id, parseId(q.from) ?? 0);
    const to = await findRevision(db, row.id, parseId(q.to) ?? 0);
    if (!from || !to) throw notFound('Choose two revisions of this article to compare.');
    const [settings, csrf] = await Promise.all([app.gazette.settings(), csrfToken(request, reply)]);
    return sendHtml(
      reply,
      <RevisionDiffPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        settings={settings}
        article={row}
        from={from}
        to={to}
        changes={diffSnapshots(from.snapshot, to.snapshot)}
      />,
    );
  });

  app.post<{ Params: { id: string; number: string } }>(
    '/admin/articles/:id/revisions/:number/restore',
    { preHandler: staff },
    async (request, reply) => {
      // An article the actor may not open answers as a missing one, before any revision is looked up.
      const { actor, row } = await load(request, request.params.id);
      const id = row.id;
      const number = idParam(request.params.number);
      await db.transaction().execute((trx) => restoreRevision(trx, { actor, articleId: id, number }));
      return reply.redirect(`/admin/articles/${id}/revisions?done=restored`, 303);
    },
  );
}
