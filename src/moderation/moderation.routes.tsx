import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SPAM_MIN_TRAINING } from '../comments/spam.model.js';
import { spamDocs } from '../comments/spam.service.js';
import { AppError } from '../errors.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { pageNumber, renderDocument } from '../web/render.js';
import { asRecord, parseId, parseIds, wantsJson } from '../web/request.parse.js';
import { banRoutes } from './ban.routes.js';
import { type BanChoice, isBanTerm, parseBanChoice } from './ban.service.js';
import type { BanDraft } from './moderation.item.js';
import { articlesWithComments, isQueue, listQueue, moderationLog, openReports, type QueueSort, queueCounts } from './moderation.repo.js';
import { isAction, moderate } from './moderation.service.js';
import { DeskPage, LogPage } from './moderation.views.js';

export const DESK_ROLES = ['moderator', 'editor', 'admin'] as const;
const PER_PAGE = 50;
const DONE: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'marked as spam',
  ban: 'marked as spam and its commenter banned',
};

/** Only desk pages are valid places to return to. */
function safeNext(value: unknown): string {
  const next = typeof value === 'string' ? value : '';
  return /^\/admin\/comments(\?|$)/.test(next) ? next : '/admin/comments';
}

const withFlash = (url: string, flash: string) => `${url}${url.includes('?') ? '&' : '?'}done=${encodeURIComponent(flash)}`;

/** The moderation desk: queues, single and bulk actions, the log. */
export async function moderationRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const guard = { preHandler: requireRole(...DESK_ROLES) };

  /** The desk for a query (the page's own, or the page a refused action came from, with the refusal). */
  const sendDesk = async (
    request: FastifyRequest,
    reply: FastifyReply,
    q: Record<string, unknown>,
    refused?: { error: string; banDraft?: BanDraft; self: string },
  ) => {
    const queue = isQueue(q.queue) ? q.queue : 'pending';
    const sort: QueueSort = q.sort === 'oldest' || q.sort === 'score' ? q.sort : 'newest';
    const articleId = parseId(q.article) ?? undefined;
    const page = pageNumber(q);
    const [items, counts, articles, docs] = await Promise.all([
      listQueue(db, { queue, sort, articleId, offset: (page - 1) * PER_PAGE, limit: PER_PAGE + 1 }),
      queueCounts(db, articleId),
      articlesWithComments(db),
      spamDocs(db),
    ]);
    const shown = items.slice(0, PER_PAGE);
    const settings = await app.gazette.settings();
    const html = renderDocument(
      <DeskPage
        siteName={settings.siteName}
        actor={await actorOf(request)}
        csrf={await csrfToken(request, reply)}
        queue={queue}
        sort={sort}
        articleId={articleId}
        counts={counts}
        items={shown}
        reports={
          await openReports(
            db,
            shown.map((i) => i.id),
          )
        }
        articles={articles}
        page={page}
        hasMore={items.length > PER_PAGE}
        learning={docs.spam >= SPAM_MIN_TRAINING && docs.ham >= SPAM_MIN_TRAINING ? null : { ...docs, needed: SPAM_MIN_TRAINING }}
        flash={typeof q.done === 'string' ? q.done.slice(0, 200) : undefined}
        error={refused?.error}
        banDraft={refused?.banDraft}
        self={refused?.self ?? request.url}
      />,
    );
    return reply.type('text/html; charset=utf-8').send(html);
  };

  app.get('/admin/comments', guard, async (request, reply) => sendDesk(request, reply, asRecord(request.query)));

  const act = async (request: FastifyRequest, commentIds: number[], action: unknown, reason: unknown, ban?: BanChoice) => {
    if (!isAction(action)) throw new AppError('invalid', 'Choose approve, reject, spam or ban.', 'action');
    const result = await moderate(db, {
      ids: commentIds,
      action,
      reason,
      actor: await actorOf(request),
      secret: app.gazette.config.secret,
      ban,
    });
    return { action, ...result };
  };

  app.post<{ Params: { id: string; action: string } }>('/admin/comments/:id/:action', guard, async (request, reply) => {
    const body = asRecord(request.body);
    const id = parseIds(request.params.id);
    const reason = body[`reason-${request.params.id}`] || body.reason;
    if (id.length === 0) throw new AppError('not_found', 'There is no such comment.');
    const fields = (name: string) => body[`${name}-${request.params.id}`] ?? body[name];
    const banFields = { emailFor: fields('ban-expires'), address: fields('ban-address'), addressFor: fields('ban-address-for') };
    try {
      const ban = request.params.action === 'ban' ? parseBanChoice(banFields) : undefined;
      const result = await act(request, id, request.params.action, reason, ban);
      if (wantsJson(request)) return { id: id[0], action: result.action, status: 'done' };
      return reply.redirect(withFlash(safeNext(body.next), `Comment ${DONE[result.action]}.`), 303);
    } catch (error) {
      // A refused ban is shown on the desk it came from, with the choices kept, so the reason can be added.
      if (!(error instanceof AppError) || error.status !== 422 || request.params.action !== 'ban' || wantsJson(request)) throw error;
      const next = safeNext(body.next);
      const draft: BanDraft = {
        id: id[0],
        reason: typeof reason === 'string' ? reason : '',
        emailFor: isBanTerm(banFields.emailFor) ? banFields.emailFor : 'never',
        address: banFields.address === 'on',
        addressFor: isBanTerm(banFields.addressFor) && banFields.addressFor !== 'never' ? banFields.addressFor : '24h',
      };
      reply.code(422);
      const query = Object.fromEntries(new URL(next, 'http://desk').searchParams);
      return sendDesk(request, reply, query, { error: `Comment ${id[0]}: ${error.message}`, banDraft: draft, self: next });
    }
  });

  app.post('/admin/comments/bulk', guard, async (request, reply) => {
    const body = asRecord(request.body);
    const result = await act(request, parseIds(body.ids), body.action, body.reason);
    if (wantsJson(request)) return { changed: result.changed, action: result.action };
    return reply.redirect(withFlash(safeNext(body.next), `${result.changed.length} comment(s) ${DONE[result.action]}.`), 303);
  });

  app.get('/admin/comments/log', guard, async (request, reply) => {
    const page = pageNumber(request.query);
    const rows = await moderationLog(db, { offset: (page - 1) * PER_PAGE, limit: PER_PAGE + 1 });
    const settings = await app.gazette.settings();
    const html = renderDocument(
      <LogPage
        siteName={settings.siteName}
        actor={await actorOf(request)}
        csrf={await csrfToken(request, reply)}
        rows={rows.slice(0, PER_PAGE)}
        page={page}
        hasMore={rows.length > PER_PAGE}
      />,
    );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  await banRoutes(app);
}
