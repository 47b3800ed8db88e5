import type { FastifyInstance } from 'fastify';
import { multipart } from '../newsroom/newsroom.helpers.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A JSON call to the API, with a bearer token when one is given. */
export function apiCall(app: FastifyInstance, method: Method, url: string, token?: string, payload?: object) {
  return app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** A multipart upload to POST /api/v1/media. */
export function apiUpload(
  app: FastifyInstance,
  token: string | undefined,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer; field?: string },
) {
  const body = multipart(fields, file);
  return app.inject({
    method: 'POST',
    url: '/api/v1/media',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': body.contentType },
    payload: body.payload,
  });
}
