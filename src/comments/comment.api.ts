import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { findCommentTarget } from '../articles/article.repo.js';
import { AppError } from '../errors.js';
import { csrfToken } from '../web/auth.js';
import { asRecord } from '../web/request.parse.js';
import { commentLimiter, setRetryAfter } from './comment.context.js';
import { countApproved, listApproved, type PublicComment } from './comment.repo.js';
import { submitComment } from './comment.service.js';
import { signStamp } from './comment.token.js';

const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});
const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) });
const PublicCommentSchema = Type.Object({
  id: Type.Integer(),
  parent: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  body: Type.String({ description: 'Plain text' }),
  created_at: Type.String({ format: 'date-time' }),
});
const PAGE_SIZE = 100;

/** Only what readers may see: never the email or the address hash. */
export const publicComment = (c: PublicComment) => ({
  id: c.id,
  parent: c.parent_id,
  name: c.name,
  body: c.body,
  created_at: c.created_at,
});

/** The public comment API and the form token endpoint of the comment form's script. */
export async function commentApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const publishedArticle = async (raw: string) => {
    const article = await findCommentTarget(db, Number(raw));
    if (article?.status !== 'published') throw new AppError('not_found', 'There is no such article.');
    return article;
  };

  app.get(
    '/api/v1/form-token',
    {
      schema: {
        summary: 'A CSRF token and a signed timing stamp for the HTML comment form',
        tags: ['comments'],
        response: { 200: Type.Object({ token: Type.String(), stamp: Type.String() }) },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'private, no-store');
      return { token: await csrfToken(request, reply), stamp: signStamp(app.gazette.config.secret) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { page?: number } }>(
    '/api/v1/articles/:id/comments',
    {
      schema: {
        summary: 'Approved comments of a published article, oldest first',
        tags: ['comments'],
        params: IdParams,
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }),
        response: {
          200: Type.Object({ items: Type.Array(PublicCommentSchema), total: Type.Integer(), page: Type.Integer(), pages: Type.Integer() }),
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const article = await publishedArticle(request.params.id);
      const page = request.query.page ?? 1;
      const [total, items] = await Promise.all([
        countApproved(db, article.id),
        listApproved(db, article.id, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
      ]);
      return { items: items.map(publicComment), total, page, pages: Math.max(Math.ceil(total / PAGE_SIZE), 1) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/articles/:id/comments',
    {
      schema: {
        summary: 'Submit a comment (pre-moderated)',
        tags: ['comments'],
        params: IdParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ description: '1–80 characters' })),
          email: Type.Optional(Type.String({ description: 'Never shown or returned' })),
          body: Type.Optional(Type.String({ description: '1–5000 Unicode code points after NFC and trimming' })),
          parent: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()])),
        }),
        response: {
          202: Type.Object({ id: Type.Integer(), status: Type.Union([Type.Literal('pending'), Type.Literal('approved')]) }),
          403: ErrorSchema,
          404: ErrorSchema,
          409: ErrorSchema,
          422: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const article = await publishedArticle(request.params.id);
      const body = asRecord(request.body);
      const settings = await app.gazette.settings();
      try {
        const result = await submitComment(db, {
          article,
          raw: { name: body.name, email: body.email, body: body.body, parent: body.parent },
          source: 'api',
          ip: request.ip,
          secret: app.gazette.config.secret,
          policy: settings,
          limiter: commentLimiter(app),
        });
        return reply.code(202).send({ id: result.id, status: result.status });
      } catch (error) {
        setRetryAfter(reply, error);
        throw error;
      }
    },
  );
}
