import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid, notFound } from '../errors.js';
import { actorOf, getActor, requireApiRole } from '../web/auth.js';
import { actionFor, apiArticles, fieldsFromJson } from './article.json.js';
import { publishedPage } from './article.listing.js';
import { ARTICLE_ROLES, canView } from './article.rules.js';
import {
  ApiErrorSchema,
  type ArticleBody,
  ArticleCreateSchema,
  ArticleListQuery,
  ArticleListSchema,
  ArticlePatchSchema,
  ArticleSchema,
  IdParams,
} from './article.schema.js';
import { fieldsOf, findArticleRow, writeArticle } from './article.workflow.js';

const encodeCursor = (c: { publishedAt: string; id: number }) => Buffer.from(JSON.stringify([c.publishedAt, c.id])).toString('base64url');

function decodeCursor(raw: string): { publishedAt: string; id: number } {
  try {
    const [publishedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof publishedAt === 'string' && Number.isInteger(id)) return { publishedAt, id };
  } catch {}
  throw invalid('The cursor is not one this API gave out.', 'cursor');
}

/** Schema validation failures become 422 naming the field at fault. */
export function checkValidation(request: FastifyRequest) {
  const error = request.validationError as (Error & { validation?: FastifyError['validation'] }) | undefined;
  if (!error) return;
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as Record<string, unknown>;
  const path = String(first?.instancePath ?? '')
    .replace(/^\//, '')
    .split('/')[0];
  const field = String(params.missingProperty ?? params.additionalProperty ?? path) || undefined;
  const what = first?.message ?? 'is not valid';
  throw invalid(field ? `"${field}" ${what}.` : `The request ${what}.`, field);
}

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  422: ApiErrorSchema,
};

/** GET/POST/PATCH /api/v1/articles: public reading of published articles; writing with a staff token. */
export async function articleApiRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  app.get<{ Querystring: { section?: string; tag?: string; author?: string; cursor?: string; limit?: number } }>(
    '/api/v1/articles',
    {
      attachValidation: true,
      schema: {
        summary: 'Published articles, newest first, with cursor pagination',
        tags: ['articles'],
        querystring: ArticleListQuery,
        response: { 200: ArticleListSchema, 422: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const q = request.query;
      const page = await publishedPage(db, {
        section: q.section,
        tag: q.tag,
        author: q.author,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: q.limit ?? 20,
      });
      reply.header('Cache-Control', 'public, max-age=60');
      return { articles: await apiArticles(db, page.ids), next_cursor: page.more && page.last ? encodeCursor(page.last) : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/articles/:id',
    {
      attachValidation: true,
      schema: {
        summary: 'One published article (staff tokens also see drafts they may open)',
        tags: ['articles'],
        params: IdParams,
        response: { 200: ArticleSchema, 401: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      if (request.validationError) throw notFound('There is no such article.');
      const row = await findArticleRow(db, Number(request.params.id));
      const actor = request.headers.authorization ? await getActor(request) : null;
      const visible = row && (row.status === 'published' || (actor && ARTICLE_ROLES.includes(actor.role) && canView(actor, row)));
      if (!row || !visible) throw notFound('There is no such article.');
      reply.header('Cache-Control', actor ? 'private, no-store' : 'public, max-age=60');
      const [article] = await apiArticles(db, [row.id]);
      return article;
    },
  );

  app.post<{ Body: ArticleBody }>(
    '/api/v1/articles',
    {
      attachValidation: true,
      preHandler: requireApiRole(...ARTICLE_ROLES),
      schema: {
        summary: 'Create an article (writers: drafts and in_review only)',
        tags: ['articles'],
        security: [{ bearer: [] }],
        body: ArticleCreateSchema,
        response: { 201: ArticleSchema, ...errors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const actor = await actorOf(request);
      const { timeZone } = await app.gazette.settings();
      const result = await db.transaction().execute(async (trx) => {
        const fields = await fieldsFromJson(trx, { actor, body: request.body, timeZone });
        if (!(request.body.headline ?? '').trim()) throw invalid('"headline" must not be empty.', 'headline');
        const action = actionFor('draft', request.body.status, fields);
        return writeArticle(trx, { actor, fields, action });
      });
      const [article] = await apiArticles(db, [result.id]);
      return reply.code(201).header('Location', `/api/v1/articles/${result.id}`).send(article);
    },
  );

  app.patch<{ Params: { id: string }; Body: ArticleBody }>(
    '/api/v1/articles/:id',
    {
      attachValidation: true,
      preHandler: requireApiRole(...ARTICLE_ROLES),
      schema: {
        summary: 'Change fields and/or the status of an article',
        tags: ['articles'],
        security: [{ bearer: [] }],
        params: IdParams,
        body: ArticlePatchSchema,
        response: { 200: ArticleSchema, ...errors },
      },
    },
    async (request) => {
      if (request.validationError?.message.includes('params')) throw notFound('There is no such article.');
      checkValidation(request);
      const actor = await actorOf(request);
      const id = Number(request.params.id);
      const { timeZone } = await app.gazette.settings();
      await db.transaction().execute(async (trx) => {
        const row = await findArticleRow(trx, id);
        if (!row || !canView(actor, row)) throw notFound('There is no such article.');
        const { status, ...rest } = request.body ?? {};
        const changesFields = Object.keys(rest).length > 0;
        const current = await fieldsOf(trx, row);
        const fields = changesFields ? await fieldsFromJson(trx, { actor, body: rest, current, timeZone }) : current;
        const action = actionFor(row.status, status, fields);
        if (!changesFields && !action) return;
        return writeArticle(trx, { actor, id, fields: changesFields ? fields : undefined, action });
      });
      const [article] = await apiArticles(db, [id]);
      if (!article) throw new AppError('not_found', 'There is no such article.');
      return article;
    },
  );
}
