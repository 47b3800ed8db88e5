import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorSchema } from '../articles/article.schema.js';
import { AppError } from '../errors.js';
import { actorOf, requireApiRole } from '../web/auth.js';
import { idParam } from '../web/request.parse.js';
import { scopeOf, topArticles } from './analytics.repo.js';
import { articleForStats, articleStats, rangeOf } from './analytics.service.js';
import { SOURCES } from './beacon.parse.js';

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'First day, YYYY-MM-DD (UTC); default: 29 days before `to`' })),
  to: Type.Optional(Type.String({ description: 'Last day, YYYY-MM-DD (UTC); default: today' })),
});
const Quarters = {
  '25': Type.Integer(),
  '50': Type.Integer(),
  '75': Type.Integer(),
  '100': Type.Integer(),
};
const ArticleStatsSchema = Type.Object({
  id: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  views: Type.Integer(),
  visitors: Type.Integer({ description: 'Unique visitors of each day, summed over the days' }),
  engaged_seconds: Type.Integer(),
  average_engaged_seconds: Type.Integer(),
  depth: Type.Object(Quarters, { description: 'Readers who reached each quarter of the body' }),
  listens: Type.Object({ started: Type.Integer(), ...Quarters, average_share: Type.Number({ description: '0 to 1' }) }),
  sources: Type.Array(Type.Object({ source: Type.Union(SOURCES.map((s) => Type.Literal(s))), views: Type.Integer() })),
  shares: Type.Integer(),
  comments: Type.Object({ opened: Type.Integer(), submitted: Type.Integer() }),
  signups: Type.Integer(),
});
const TopSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  articles: Type.Array(
    Type.Object({
      id: Type.Integer(),
      headline: Type.String(),
      url: Type.String(),
      section: Type.String(),
      views: Type.Integer(),
      visitors: Type.Integer(),
      engaged_seconds: Type.Integer(),
      listens: Type.Integer(),
    }),
  ),
});
const errors = { 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 422: ApiErrorSchema };

/** GET /api/v1/stats/…: the analytics figures for editors and admins, and for writers their own articles'. */
export async function analyticsApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const newsroom = requireApiRole('writer', 'editor', 'admin');

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>(
    '/api/v1/stats/articles/:id',
    {
      preHandler: newsroom,
      schema: {
        summary: "An article's reader figures over a range of days (writers: their own articles; another's answers 403)",
        tags: ['analytics'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String() }),
        querystring: RangeQuery,
        response: { 200: ArticleStatsSchema, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const id = idParam(request.params.id, 'There is no such article.');
      const range = rangeOf({ from: request.query.from ?? '', to: request.query.to ?? '', range: 'custom' });
      const article = await articleForStats(db, actor, id);
      return articleStats(db, article.id, range);
    },
  );

  app.get<{ Querystring: { from?: string; to?: string; limit?: string } }>(
    '/api/v1/stats/top',
    {
      preHandler: newsroom,
      schema: {
        summary: 'The most-read articles over a range of days (writers: their own)',
        tags: ['analytics'],
        security: [{ bearer: [] }],
        querystring: Type.Object({ ...RangeQuery.properties, limit: Type.Optional(Type.String({ description: '1 to 100 (20)' })) }),
        response: { 200: TopSchema, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const range = rangeOf({ from: request.query.from ?? '', to: request.query.to ?? '', range: 'custom' });
      const rawLimit = request.query.limit;
      if (rawLimit !== undefined && !/^([1-9]\d?|100)$/.test(rawLimit)) throw new AppError('invalid', '"limit" is 1 to 100.', 'limit');
      const top = await topArticles(db, range, scopeOf(actor), rawLimit ? Number(rawLimit) : 20);
      return {
        from: range.from,
        to: range.to,
        articles: top.map((a) => ({
          id: a.id,
          headline: a.headline,
          url: a.url,
          section: a.section,
          views: a.views,
          visitors: a.visitors,
          engaged_seconds: a.engaged_seconds,
          listens: a.listens,
        })),
      };
    },
  );
}
