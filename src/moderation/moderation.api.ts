import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { fingerprint } from '../comments/comment.hash.js';
import { actorOf, requireApiRole } from '../web/auth.js';
import { banApiRoutes } from './ban.api.js';
import { listQueue, QUEUES, type Queue, queueTotal } from './moderation.repo.js';
import { DESK_ROLES } from './moderation.routes.js';
import { type ModerationAction, moderate } from './moderation.service.js';

const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});
const PER_PAGE = 100;

const StaffComment = Type.Object({
  id: Type.Integer(),
  article: Type.Object({ id: Type.Integer(), headline: Type.String(), url: Type.String() }),
  parent: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  ip_fingerprint: Type.String(),
  body: Type.String(),
  status: Type.String(),
  reasons: Type.Array(Type.String()),
  spam_score: Type.Union([Type.Number(), Type.Null()]),
  reports: Type.Integer(),
  created_at: Type.String(),
});

/** The moderation API (moderator, editor or admin token). */
export async function moderationApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const security = [{ bearer: [] }];

  app.get<{ Querystring: { status?: Queue; article?: number; page?: number; sort?: 'newest' | 'oldest' | 'score' } }>(
    '/api/v1/comments',
    {
      preHandler: requireApiRole(...DESK_ROLES),
      schema: {
        summary: 'A moderation queue',
        tags: ['moderation'],
        security,
        querystring: Type.Object({
          status: Type.Optional(Type.Union(QUEUES.map((q) => Type.Literal(q)))),
          article: Type.Optional(Type.Integer({ minimum: 1 })),
          sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('score')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(StaffComment), total: Type.Integer(), page: Type.Integer() }),
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (request) => {
      const queue = request.query.status ?? 'pending';
      const page = request.query.page ?? 1;
      const [items, total] = await Promise.all([
        listQueue(db, {
          queue,
          sort: request.query.sort ?? 'newest',
          articleId: request.query.article,
          offset: (page - 1) * PER_PAGE,
          limit: PER_PAGE,
        }),
        // Only the asked queue is counted, exactly.
        queueTotal(db, queue, request.query.article),
      ]);
      return {
        items: items.map((c) => ({
          id: c.id,
          article: { id: c.article_id, headline: c.headline, url: `/${c.section_slug}/${c.article_slug}` },
          parent: c.parent_id,
          name: c.name,
          email: c.email,
          ip_fingerprint: fingerprint(c.ip_hash),
          body: c.body,
          status: c.status,
          reasons: JSON.parse(c.reasons) as string[],
          spam_score: c.spam_score,
          reports: Number(c.open_reports),
          created_at: c.created_at,
        })),
        total,
        page,
      };
    },
  );

  const action = (name: ModerationAction, summary: string) =>
    app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
      `/api/v1/comments/:id/${name}`,
      {
        preHandler: requireApiRole(...DESK_ROLES),
        schema: {
          summary,
          tags: ['moderation'],
          security,
          params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) }),
          body: Type.Optional(Type.Union([Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }), Type.Null()])),
          response: {
            200: Type.Object({ id: Type.Integer(), status: Type.String() }),
            401: ErrorSchema,
            403: ErrorSchema,
            404: ErrorSchema,
          },
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        await moderate(db, {
          ids: [id],
          action: name,
          reason: request.body?.reason,
          actor: await actorOf(request),
          secret: app.gazette.config.secret,
        });
        return { id, status: name === 'approve' ? 'approved' : name === 'reject' ? 'rejected' : 'spam' };
      },
    );
  action('approve', 'Approve a comment');
  action('reject', 'Reject a comment, with an optional reason');
  action('spam', 'Mark a comment as spam');

  await banApiRoutes(app);
}
