import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import { failingCounts, findEndpoint, listDeliveries, listEndpoints } from './webhook.repo.js';
import {
  allowPrivateFor,
  checkEndpointInput,
  createEndpoint,
  deleteEndpoint,
  MAX_DESCRIPTION,
  resendDelivery,
  rotateSecret,
  setEndpointEnabled,
  updateEndpoint,
} from './webhook.service.js';
import { type TypedEndpoint, WebhookEditPage, WebhooksPage } from './webhook.views.js';

const DONE: Record<string, string> = {
  saved: 'Webhook saved.',
  deleted: 'Webhook deleted.',
  enabled: 'Webhook switched on.',
  disabled: 'Webhook switched off.',
  resent: 'Delivery queued again.',
};

/** A refusal the form can show (a 4xx other than a role or CSRF refusal); anything else goes on up. */
const shown = (error: unknown): error is AppError => error instanceof AppError && error.status < 500 && error.status !== 403;

function typedFrom(body: Record<string, unknown>): TypedEndpoint {
  const events = [body.events ?? []]
    .flat()
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 50)
    .map((v) => v.slice(0, 100));
  return { url: text(body.url, 2000), events, description: text(body.description, MAX_DESCRIPTION + 100) };
}

/** /admin/webhooks: administrators only. */
export async function webhookRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const admins = requireRole('admin');

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, settings, siteName: settings.siteName, csrf, flash: done ? DONE[done] : undefined };
  }

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; typed?: TypedEndpoint; secret?: string; status?: number } = {},
  ) => {
    const [c, endpoints, failing] = await Promise.all([common(request, reply), listEndpoints(db), failingCounts(db)]);
    return sendHtml(
      reply,
      <WebhooksPage
        {...c}
        endpoints={endpoints}
        failing={failing}
        typed={extra.typed}
        secret={extra.secret}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status ?? extra.status,
    );
  };

  const showEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { error?: AppError; typed?: TypedEndpoint; secret?: string } = {},
  ) => {
    const endpoint = await findEndpoint(db, id);
    if (!endpoint) throw new AppError('not_found', 'That webhook no longer exists.');
    const [c, deliveries] = await Promise.all([common(request, reply), listDeliveries(db, id)]);
    return sendHtml(
      reply,
      <WebhookEditPage
        {...c}
        endpoint={endpoint}
        deliveries={deliveries}
        typed={extra.typed}
        secret={extra.secret}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/webhooks', { preHandler: admins }, (request, reply) => showList(request, reply));

  app.post('/admin/webhooks', { preHandler: admins }, async (request, reply) => {
    const typed = typedFrom(formBody(request));
    let secret: string;
    try {
      const checked = await checkEndpointInput(typed, { allowPrivate: allowPrivateFor(config) });
      secret = (await db.transaction().execute((trx) => createEndpoint(trx, checked))).secret;
    } catch (error) {
      if (shown(error)) return showList(request, reply, { error, typed });
      throw error;
    }
    // The secret is shown on this answer only (it is not put in an address to redirect to).
    return showList(request, reply, { secret, status: 201 });
  });

  app.get<{ Params: { id: string } }>('/admin/webhooks/:id', { preHandler: admins }, (request, reply) =>
    showEdit(request, reply, idParam(request.params.id)),
  );

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    const typed = typedFrom(formBody(request));
    try {
      const checked = await checkEndpointInput(typed, { allowPrivate: allowPrivateFor(config) });
      await db.transaction().execute((trx) => updateEndpoint(trx, id, checked));
    } catch (error) {
      if (shown(error) && error.status !== 404) return showEdit(request, reply, id, { error, typed });
      throw error;
    }
    return reply.redirect(`/admin/webhooks/${id}?done=saved`, 303);
  });

  for (const [path, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/admin/webhooks/:id/${path}`, { preHandler: admins }, async (request, reply) => {
      const id = idParam(request.params.id);
      await db.transaction().execute((trx) => setEndpointEnabled(trx, id, enabled));
      return reply.redirect(`/admin/webhooks/${id}?done=${enabled ? 'enabled' : 'disabled'}`, 303);
    });
  }

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id/rotate', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    const secret = await db.transaction().execute((trx) => rotateSecret(trx, id));
    return showEdit(request, reply, id, { secret });
  });

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id/delete', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    await db.transaction().execute((trx) => deleteEndpoint(trx, id));
    return reply.redirect('/admin/webhooks?done=deleted', 303);
  });

  app.post<{ Params: { id: string; delivery: string } }>(
    '/admin/webhooks/:id/deliveries/:delivery/resend',
    { preHandler: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      const delivery = idParam(request.params.delivery, 'There is no such delivery.');
      try {
        await db.transaction().execute((trx) => resendDelivery(trx, id, delivery));
      } catch (error) {
        if (error instanceof AppError && error.code === 'conflict') return showEdit(request, reply, id, { error });
        throw error;
      }
      return reply.redirect(`/admin/webhooks/${id}?done=resent`, 303);
    },
  );
}
