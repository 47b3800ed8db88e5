import type { Executor } from '../events.js';
import type { WebhookDelivery, WebhookEndpoint } from './webhook.table.js';

export async function listEndpoints(db: Executor): Promise<WebhookEndpoint[]> {
  return db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
}

export async function findEndpoint(db: Executor, id: number): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The enabled endpoints and their events: the one query an event pays when webhooks may be involved. */
export async function enabledEndpoints(db: Executor): Promise<Pick<WebhookEndpoint, 'id' | 'events'>[]> {
  return db.selectFrom('webhook_endpoints').select(['id', 'events']).where('enabled', '=', 1).execute();
}

export async function findDelivery(db: Executor, id: number): Promise<WebhookDelivery | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One endpoint's delivery log, newest first. */
export async function listDeliveries(db: Executor, endpointId: number, limit = 50): Promise<WebhookDelivery[]> {
  return db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('id', 'desc').limit(limit).execute();
}

/** Pending deliveries whose time has come, oldest first. */
export async function dueDeliveries(db: Executor, now: Date, limit: number): Promise<WebhookDelivery[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** When the next pending delivery is due, if any is. */
export async function nextDueAt(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? undefined;
}

/**
 * Takes a due delivery for this sender: moves its due time past the attempt (a lease), only if no
 * other sender moved it first. True when this sender has it.
 */
export async function leaseDelivery(db: Executor, d: WebhookDelivery, until: Date): Promise<boolean> {
  if (d.next_attempt_at === null) return false;
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: until.toISOString() })
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', d.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Endpoints with any delivery log, for the newsroom list: counts of failing (pending after a try) deliveries. */
export async function failingCounts(db: Executor): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['endpoint_id', (eb) => eb.fn.countAll().as('n')])
    .where('status', '=', 'pending')
    .where('attempts', '>', 0)
    .groupBy('endpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.endpoint_id, Number(r.n)]));
}

/** Endpoints Gazette switched off after failing for days (the newsroom shows a notice for each). */
export async function autoDisabledEndpoints(db: Executor): Promise<Pick<WebhookEndpoint, 'id' | 'url' | 'disabled_reason'>[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'disabled_reason'])
    .where('enabled', '=', 0)
    .where('disabled_reason', 'is not', null)
    .orderBy('id')
    .execute();
}
