import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam, writeErrors } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { notFound } from '../errors.js';
import { requireApiRole } from '../web/auth.js';
import { WEBHOOK_EVENT_NAMES } from './webhook.events.js';
import { findEndpoint, listEndpoints } from './webhook.repo.js';
import { allowPrivateFor, checkEndpointInput, createEndpoint, deleteEndpoint, endpointJson, MAX_DESCRIPTION } from './webhook.service.js';

const EVENTS_TEXT = `Event names: ${WEBHOOK_EVENT_NAMES.join(', ')}`;

const EndpointFields = {
  id: Type.Integer(),
  url: Type.String(),
  events: Type.Array(Type.String(), { description: EVENTS_TEXT }),
  description: Type.String(),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  failing_since: Type.Union([Type.String(), Type.Null()], { description: 'Start of the current run of failed deliveries' }),
  disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why Gazette switched it off, if it did' }),
};

export const WebhookEndpointSchema = Type.Object(EndpointFields);

export const WebhookCreatedSchema = Type.Object({
  ...EndpointFields,
  secret: Type.String({ description: 'whsec_ + base64 of the signing key: shown only now' }),
});

const WebhookCreateBody = Type.Object(
  {
    url: Type.String({ maxLength: 2000, description: 'An http(s) address on a public host' }),
    events: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description: EVENTS_TEXT }),
    description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION })),
  },
  { additionalProperties: false },
);

interface CreateBody {
  url: string;
  events: string[];
  description?: string;
}

/** /api/v1/webhooks: administrators register, list, read and delete webhook endpoints. */
export async function webhookApiRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const admins = requireApiRole('admin');
  const common = { tags: ['webhooks'], security: [{ bearer: [] }] };

  app.get(
    '/api/v1/webhooks',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Webhook endpoints (administrators)',
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookEndpointSchema) }), 401: ApiErrorSchema, 403: ApiErrorSchema },
      },
    },
    async () => ({ webhooks: (await listEndpoints(db)).map((row) => endpointJson(row)) }),
  );

  app.post<{ Body: CreateBody }>(
    '/api/v1/webhooks',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Register a webhook endpoint (administrators); the answer holds its signing secret, shown only once',
        body: WebhookCreateBody,
        response: { 201: WebhookCreatedSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkValidation(request);
      const checked = await checkEndpointInput(request.body, { allowPrivate: allowPrivateFor(config) });
      const row = await db.transaction().execute((trx) => createEndpoint(trx, checked));
      return reply.code(201).send(endpointJson(row, { withSecret: true }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/webhooks/:id',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        ...common,
        summary: 'One webhook endpoint (administrators)',
        params: IdParams,
        response: { 200: WebhookEndpointSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request) => {
      checkIdParam(request, 'There is no such webhook endpoint.');
      const row = await findEndpoint(db, Number(request.params.id));
      if (!row) throw notFound('There is no such webhook endpoint.');
      return endpointJson(row);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/webhooks/:id',
    {
      attachValidation: true,
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Delete a webhook endpoint and its delivery log (administrators)',
        params: IdParams,
        response: { 204: Type.Null(), 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      checkIdParam(request, 'There is no such webhook endpoint.');
      await db.transaction().execute((trx) => deleteEndpoint(trx, Number(request.params.id)));
      return reply.code(204).send();
    },
  );
}
