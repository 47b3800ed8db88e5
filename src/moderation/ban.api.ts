import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { fingerprint } from '../comments/comment.hash.js';
import { actorOf, requireApiRole } from '../web/auth.js';
import { BAN_STATES, type BanState, type BanView, countBans, findBans, isActive, listBans } from './ban.repo.js';
import { ADDRESS_BAN_TERMS, BAN_TERMS, liftBan, parseBanChoice } from './ban.service.js';
import { moderate } from './moderation.service.js';

const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});
const PER_PAGE = 100;
const ROLES = ['moderator', 'editor', 'admin'] as const;
const Id = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Staff = Type.Object({ user_id: Nullable(Type.Integer()), name: Type.String() });

const BanSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('email'), Type.Literal('ip')], { description: 'email: one commenter; ip: everyone behind one address' }),
  commenter: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.String() })),
  comment_id: Nullable(Type.Integer()),
  ip_fingerprint: Nullable(Type.String({ description: 'Address bans: the fingerprint the desk shows' })),
  reason: Type.String(),
  created_by: Staff,
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Nullable(Type.String({ format: 'date-time' })),
  lifted_at: Nullable(Type.String({ format: 'date-time' })),
  lifted_by: Nullable(Staff),
  lift_reason: Nullable(Type.String()),
  active: Type.Boolean(),
});

const banJson = (b: BanView, now: string) => ({
  id: b.id,
  kind: b.kind,
  commenter:
    b.commenter_id !== null && b.commenter_email !== null
      ? { id: b.commenter_id, name: b.commenter_name ?? '', email: b.commenter_email }
      : null,
  comment_id: b.comment_id,
  ip_fingerprint: b.kind === 'ip' ? fingerprint(b.value_hash) : null,
  reason: b.reason,
  created_by: { user_id: b.created_by_user_id, name: b.created_by_name },
  created_at: b.created_at,
  expires_at: b.expires_at,
  lifted_at: b.lifted_at,
  lifted_by: b.lifted_at ? { user_id: b.lifted_by_user_id, name: b.lifted_by_name ?? '' } : null,
  lift_reason: b.lift_reason,
  active: isActive(b, now),
});

/** Commenter bans in the moderation API (moderator, editor or admin token). */
export async function banApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const security = [{ bearer: [] }];
  const preHandler = requireApiRole(...ROLES);

  app.get<{ Querystring: { state?: BanState; page?: number } }>(
    '/api/v1/comment-bans',
    {
      preHandler,
      schema: {
        summary: 'Commenter bans: in force (default) or ended (lifted or past their end)',
        tags: ['moderation'],
        security,
        querystring: Type.Object({
          state: Type.Optional(Type.Union(BAN_STATES.map((s) => Type.Literal(s)))),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(BanSchema), total: Type.Integer(), page: Type.Integer() }),
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (request) => {
      const state = request.query.state ?? 'active';
      const page = request.query.page ?? 1;
      const now = new Date().toISOString();
      const [rows, total] = await Promise.all([
        listBans(db, { state, now, offset: (page - 1) * PER_PAGE, limit: PER_PAGE }),
        countBans(db, state, now),
      ]);
      return { items: rows.map((b) => banJson(b, now)), total, page };
    },
  );

  app.post<{
    Params: { id: string };
    Body: { reason: string; expires?: string; address?: boolean; address_expires?: string };
  }>(
    '/api/v1/comments/:id/ban',
    {
      preHandler,
      schema: {
        summary: "Ban a comment's author (the comment is marked as spam)",
        description:
          'Bans the email identity of the comment’s author, with no end unless `expires` says otherwise. ' +
          'With `address: true` the client address the comment came from is banned too, for `address_expires` (default 24h).',
        tags: ['moderation'],
        security,
        params: Id,
        body: Type.Object({
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          expires: Type.Optional(
            Type.Union(
              BAN_TERMS.map((t) => Type.Literal(t)),
              { default: 'never' },
            ),
          ),
          address: Type.Optional(Type.Boolean({ default: false })),
          address_expires: Type.Optional(
            Type.Union(
              ADDRESS_BAN_TERMS.map((t) => Type.Literal(t)),
              { default: '24h' },
            ),
          ),
        }),
        response: {
          200: Type.Object({ id: Type.Integer(), status: Type.Literal('spam'), bans: Type.Array(BanSchema) }),
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          422: ErrorSchema,
        },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      const body = request.body;
      const result = await moderate(db, {
        ids: [id],
        action: 'ban',
        reason: body.reason,
        actor: await actorOf(request),
        secret: app.gazette.config.secret,
        ban: parseBanChoice({ emailFor: body.expires, address: body.address, addressFor: body.address_expires }),
      });
      const now = new Date().toISOString();
      return { id, status: 'spam' as const, bans: (await findBans(db, result.bans)).map((b) => banJson(b, now)) };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/api/v1/comment-bans/:id/lift',
    {
      preHandler,
      schema: {
        summary: 'Lift a ban in force, with an optional reason',
        tags: ['moderation'],
        security,
        params: Id,
        body: Type.Optional(Type.Union([Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }), Type.Null()])),
        response: { 200: BanSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      await liftBan(db, { id, reason: request.body?.reason, actor: await actorOf(request) });
      const [ban] = await findBans(db, [id]);
      return banJson(ban, new Date().toISOString());
    },
  );
}
