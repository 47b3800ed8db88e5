import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorSchema } from '../articles/article.schema.js';
import { notFound } from '../errors.js';

/** The error answers an /api/v1 write route may give, for its `response` schema. */
export const writeErrors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  422: ApiErrorSchema,
};

/** `?page=&limit=` of a paged list (and `slug=` to look one up by its address). */
export const PagedQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number, from 1' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Items per page (default 100)' })),
  slug: Type.Optional(Type.String({ maxLength: 200, description: 'Only the one with this slug' })),
});
export interface PagedQueryType {
  page?: number;
  limit?: number;
  slug?: string;
}

/** A path id that failed its pattern is a missing object, as in the articles API. */
export function checkIdParam(request: FastifyRequest, what: string): void {
  const error = request.validationError as (Error & { validationContext?: string }) | undefined;
  if (error && (error.validationContext === 'params' || error.message.includes('params'))) throw notFound(what);
}
