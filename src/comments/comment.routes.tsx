import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { findArticleById, findPublished } from '../articles/article.repo.js';
import { articleUrl } from '../articles/article.urls.js';
import { AppError } from '../errors.js';
import { verifyCsrf } from '../web/auth.js';
import { sendNotFound } from '../web/not-found.js';
import { asRecord, formFields, parseId, wantsJson } from '../web/request.parse.js';
import { commentLimiter, formAge, setRetryAfter } from './comment.context.js';
import { sendFormPage, sendReportPage } from './comment.pages.js';
import { findComment } from './comment.repo.js';
import { reportComment, submitComment } from './comment.service.js';
import { commentsOpenNow } from './discussion.js';
import { type FormErrors, HONEYPOT_FIELD } from './discussion.views.js';

/** The comment form (and the reply form) as posted; the comment rules check the values. */
export const CommentFormSchema = Type.Object({
  name: Type.String({ description: 'The name shown with the comment' }),
  email: Type.String({ description: 'Never shown' }),
  body: Type.String({ description: 'The comment' }),
  parent: Type.String({ maxLength: 20, description: 'The id of the comment replied to; empty for a new thread' }),
  [HONEYPOT_FIELD]: Type.String({ description: 'Hidden from people: a bot that fills it in is dropped' }),
});

/** The report form: what is wrong with a comment. */
export const CommentReportFormSchema = Type.Object({ reason: Type.String({ description: 'Checked and cut by the service' }) });

/** The reader side of comments that works without JavaScript: the form post, reply and report pages. */
export async function commentRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  app.post<{ Params: { section: string; slug: string } }>('/:section/:slug/comments', async (request, reply) => {
    const article = await findPublished(db, request.params.section, request.params.slug);
    if (!article) {
      if (wantsJson(request)) throw new AppError('not_found', 'There is no such article.');
      return sendNotFound(request, reply);
    }
    const body = asRecord(request.body);
    const form = formFields(CommentFormSchema, body);
    const values = { name: form.name, email: form.email, body: form.body };
    const parentId = parseId(form.parent);
    try {
      const settings = await app.gazette.settings();
      const result = await submitComment(db, {
        article,
        raw: { name: body.name, email: body.email, body: body.body, parent: body.parent },
        source: 'form',
        honeypot: form[HONEYPOT_FIELD],
        formAgeMs: await formAge(request),
        ip: request.ip,
        secret: app.gazette.config.secret,
        policy: settings,
        limiter: commentLimiter(app),
      });
      if (wantsJson(request)) return reply.code(202).send({ id: result.id, status: result.status });
      return reply.redirect(`${articleUrl(article)}?comment=${result.status}#comments`, 303);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      setRetryAfter(reply, error);
      if (wantsJson(request) || error.status === 404) throw error;
      if (error.code === 'closed') throw error;
      const errors: FormErrors = { [error.field ?? 'form']: error.message };
      const parentRow = parentId ? await findComment(db, parentId) : undefined;
      const parent = parentRow && parentRow.status === 'approved' && parentRow.article_id === article.id ? parentRow : undefined;
      return sendFormPage(
        request,
        reply,
        {
          article,
          title:
            error.code === 'confirm'
              ? 'Confirm your comment'
              : error.code === 'banned'
                ? 'You cannot comment'
                : 'Your comment was not sent',
          values,
          errors,
          parent: parent ? { id: parent.id, name: parent.name } : undefined,
        },
        error.status,
      );
    }
  });

  /** The reply form for readers without JavaScript (with it, the form moves under the comment instead). */
  app.get<{ Params: { id: string } }>('/comments/:id/reply', async (request, reply) => {
    const id = parseId(request.params.id);
    const comment = id ? await findComment(db, id) : undefined;
    const article = comment?.status === 'approved' ? await findArticleById(db, comment.article_id) : undefined;
    if (!comment || !article || article.status !== 'published') return sendNotFound(request, reply);
    if (!commentsOpenNow(article, await app.gazette.settings())) throw new AppError('closed', 'Comments are closed for this article.');
    return sendFormPage(request, reply, {
      article,
      title: `Reply to ${comment.name}`,
      parent: { id: comment.id, name: comment.name },
      quote: { name: comment.name, body: comment.body },
    });
  });

  const reportTarget = async (raw: string) => {
    const id = parseId(raw);
    const comment = id ? await findComment(db, id) : undefined;
    const article = comment?.status === 'approved' ? await findArticleById(db, comment.article_id) : undefined;
    return comment && article && article.status === 'published' ? { comment, article } : undefined;
  };

  app.get<{ Params: { id: string } }>('/comments/:id/report', async (request, reply) => {
    const target = await reportTarget(request.params.id);
    if (!target) return sendNotFound(request, reply);
    return sendReportPage(request, reply, target);
  });

  app.post<{ Params: { id: string } }>(
    '/comments/:id/report',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const target = await reportTarget(request.params.id);
      if (!target) {
        if (wantsJson(request)) throw new AppError('not_found', 'There is no such comment.');
        return sendNotFound(request, reply);
      }
      const { reason } = formFields(CommentReportFormSchema, request.body);
      try {
        await verifyCsrf(request);
        await reportComment(db, { commentId: target.comment.id, reason, ip: request.ip, secret: app.gazette.config.secret });
      } catch (error) {
        if (!(error instanceof AppError) || wantsJson(request)) throw error;
        return sendReportPage(request, reply, { ...target, reason, error: error.message }, error.status);
      }
      if (wantsJson(request)) return reply.code(202).send({ status: 'reported' });
      return sendReportPage(request, reply, { ...target, done: true });
    },
  );
}
