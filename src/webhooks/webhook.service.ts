import { type Config, webhooksAllowPrivate } from '../config.js';
import { AppError, invalid, notFound } from '../errors.js';
import { type Executor, type RecordedEvent, recordEvent } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { isWebhookEvent, type WebhookEvent } from './webhook.events.js';
import { checkOutboundUrl } from './webhook.guard.js';
import { webhookData } from './webhook.payload.js';
import { enabledEndpoints, findDelivery, findEndpoint } from './webhook.repo.js';
import { newMessageId, newSecret } from './webhook.sign.js';
import type { WebhookEndpoint } from './webhook.table.js';

/** The job that sends due deliveries (webhook.delivery.ts); one waiting job serves every event. */
export const WEBHOOK_JOB = 'webhooks.deliver';
export const WEBHOOK_JOB_KEY = 'webhooks:deliver';

export const MAX_DESCRIPTION = 500;

/** Whether outbound addresses may be private: the configuration, else GAZETTE_WEBHOOKS_ALLOW_PRIVATE. */
export const allowPrivateFor = (config: Pick<Config, 'webhooksAllowPrivate'>) => config.webhooksAllowPrivate ?? webhooksAllowPrivate();

export interface EndpointInput {
  url: string;
  events: unknown;
  description?: string;
}

export interface CheckedEndpoint {
  url: string;
  events: WebhookEvent[];
  description: string;
}

/** The event names of a request (a list, or one name as a form sends a single box), checked. */
export function checkEvents(value: unknown): WebhookEvent[] {
  const list = value === undefined || value === null || value === '' ? [] : [value].flat();
  if (list.some((v) => typeof v !== 'string')) throw invalid('Events are given by their names, e.g. "article.published".', 'events');
  const unknown = (list as string[]).find((name) => !isWebhookEvent(name));
  if (unknown !== undefined) throw invalid(`"${unknown.slice(0, 100)}" is not an event Gazette sends.`, 'events');
  const events = [...new Set(list as WebhookEvent[])];
  if (events.length === 0) throw invalid('Choose at least one event.', 'events');
  return events;
}

/** Checks what an administrator sent (the URL against private addresses too): before the transaction, as it may ask DNS. */
export async function checkEndpointInput(input: EndpointInput, opts: { allowPrivate: boolean }): Promise<CheckedEndpoint> {
  const url = await checkOutboundUrl(typeof input.url === 'string' ? input.url : '', { allowPrivate: opts.allowPrivate, field: 'url' });
  const events = checkEvents(input.events);
  const description = (input.description ?? '').trim();
  if (description.length > MAX_DESCRIPTION) throw invalid(`The description has at most ${MAX_DESCRIPTION} characters.`, 'description');
  return { url: url.toString(), events, description };
}

export async function createEndpoint(trx: Executor, input: CheckedEndpoint, now = new Date()): Promise<WebhookEndpoint> {
  const at = now.toISOString();
  const row = await trx
    .insertInto('webhook_endpoints')
    .values({
      url: input.url,
      events: JSON.stringify(input.events),
      secret: newSecret(),
      enabled: 1,
      description: input.description,
      created_at: at,
      updated_at: at,
      failing_since: null,
      disabled_reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'webhook.changed', row.id, { action: 'created' });
  return row;
}

async function existing(trx: Executor, id: number): Promise<WebhookEndpoint> {
  const row = await findEndpoint(trx, id);
  if (!row) throw notFound('There is no such webhook endpoint.');
  return row;
}

export async function updateEndpoint(trx: Executor, id: number, input: CheckedEndpoint, now = new Date()): Promise<void> {
  await existing(trx, id);
  await trx
    .updateTable('webhook_endpoints')
    .set({ url: input.url, events: JSON.stringify(input.events), description: input.description, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  await recordEvent(trx, 'webhook.changed', id, { action: 'updated' });
}

/** Switches an endpoint on (its failure record starts afresh) or off by hand. */
export async function setEndpointEnabled(trx: Executor, id: number, enabled: boolean, now = new Date()): Promise<void> {
  await existing(trx, id);
  await trx
    .updateTable('webhook_endpoints')
    .set({ enabled: enabled ? 1 : 0, failing_since: null, disabled_reason: null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  await recordEvent(trx, 'webhook.changed', id, { action: enabled ? 'enabled' : 'disabled' });
}

export async function deleteEndpoint(trx: Executor, id: number): Promise<void> {
  await existing(trx, id);
  await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
  await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
  await recordEvent(trx, 'webhook.changed', id, { action: 'deleted' });
}

/** A new signing secret; the old one stops being used at once. Answers the new secret (shown once). */
export async function rotateSecret(trx: Executor, id: number, now = new Date()): Promise<string> {
  await existing(trx, id);
  const secret = newSecret();
  await trx.updateTable('webhook_endpoints').set({ secret, updated_at: now.toISOString() }).where('id', '=', id).execute();
  await recordEvent(trx, 'webhook.changed', id, { action: 'secret rotated' });
  return secret;
}

async function queueSending(trx: Executor, now: Date): Promise<void> {
  await enqueueJob(trx, { type: WEBHOOK_JOB, key: WEBHOOK_JOB_KEY, maxAttempts: 20 }, now);
}

/** Sends a delivery's body again, as a new delivery (a new `webhook-id`) at once. */
export async function resendDelivery(trx: Executor, endpointId: number, deliveryId: number, now = new Date()): Promise<number> {
  const endpoint = await existing(trx, endpointId);
  const d = await findDelivery(trx, deliveryId);
  if (!d || d.endpoint_id !== endpointId) throw notFound('There is no such delivery.');
  if (!endpoint.enabled) throw new AppError('conflict', 'This endpoint is switched off: switch it on before resending.');
  const at = now.toISOString();
  const row = await trx
    .insertInto('webhook_deliveries')
    .values({ ...pendingDelivery(endpointId, d.event_type, d.subject_id, d.payload, at) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await queueSending(trx, now);
  return row.id;
}

function pendingDelivery(endpointId: number, type: string, subjectId: number | null, payload: string, at: string) {
  return {
    endpoint_id: endpointId,
    event_type: type,
    subject_id: subjectId,
    payload,
    msg_id: newMessageId(),
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    last_attempt_at: null,
    response_code: null,
    response_excerpt: null,
    error: null,
    duration_ms: null,
    created_at: at,
  };
}

/**
 * The subscriber of every webhook event (src/events.subscribers.ts): in the event's transaction, a
 * delivery row for each enabled endpoint that wants it and one queued sending job. With no
 * endpoint it costs one query on a small indexed table.
 */
export async function queueWebhookDeliveries(trx: Executor, event: RecordedEvent): Promise<void> {
  const type = event.type;
  if (!isWebhookEvent(type)) return;
  const endpoints = await enabledEndpoints(trx);
  const wanted = endpoints.filter((e) => (JSON.parse(e.events) as string[]).includes(type));
  if (wanted.length === 0) return;
  const data = await webhookData(trx, type, event);
  if (!data) return;
  const now = new Date();
  const at = now.toISOString();
  const payload = JSON.stringify({ type, timestamp: at, data });
  await trx
    .insertInto('webhook_deliveries')
    .values(wanted.map((e) => pendingDelivery(e.id, type, event.subjectId, payload, at)))
    .execute();
  await queueSending(trx, now);
}

/** The endpoint as the API shows it (the secret only when just made). */
export function endpointJson(row: WebhookEndpoint, opts: { withSecret?: boolean } = {}) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    enabled: row.enabled === 1,
    created_at: row.created_at,
    failing_since: row.failing_since,
    disabled_reason: row.disabled_reason,
    ...(opts.withSecret ? { secret: row.secret } : {}),
  };
}
