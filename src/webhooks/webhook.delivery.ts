import type { Kysely } from 'kysely';
import { type Config, webhooksAllowPrivate } from '../config.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import type { JobHandler } from '../jobs/job.runner.js';
import { queueDisabledAlerts } from './webhook.alert.js';
import { type OutboundResult, postOutbound } from './webhook.http.js';
import { dueDeliveries, findEndpoint, leaseDelivery, nextDueAt } from './webhook.repo.js';
import { allowPrivateFor, WEBHOOK_JOB, WEBHOOK_JOB_KEY } from './webhook.service.js';
import { signedHeaders } from './webhook.sign.js';
import type { WebhookDelivery } from './webhook.table.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Waits before each retry (after attempt 1, 2, …): about a day in all, then the delivery has failed. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint that has failed without a success for longer than this is switched off. */
export const DISABLE_AFTER_MS = 3 * DAY;
/** How long an attempt holds its delivery against other senders. */
const LEASE_MS = 2 * MINUTE;
const BATCH = 50;

export interface DeliverOptions {
  /** The time the sender acts at (tests move it forward). */
  now?: Date;
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

const delivered = (r: OutboundResult) => r.status !== null && r.status >= 200 && r.status < 300;

function describeFailure(r: OutboundResult): string {
  return r.status !== null ? `answered ${r.status}` : (r.error ?? 'no answer');
}

async function attempt(db: Kysely<Database>, d: WebhookDelivery, opts: Required<Omit<DeliverOptions, 'now'>> & { now: Date }) {
  const now = opts.now;
  const endpoint = await findEndpoint(db, d.endpoint_id);
  if (!endpoint?.enabled) {
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, error: 'the endpoint is switched off' })
      .where('id', '=', d.id)
      .execute();
    return;
  }
  const result = await postOutbound({
    url: endpoint.url,
    headers: signedHeaders(endpoint.secret, d.msg_id, now, d.payload),
    body: d.payload,
    allowPrivate: opts.allowPrivate,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
  });
  const attempts = d.attempts + 1;
  const ok = delivered(result);
  const retryIn = ok || attempts >= MAX_ATTEMPTS ? null : RETRY_DELAYS_MS[attempts - 1];
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: ok ? 'delivered' : retryIn === null ? 'failed' : 'pending',
        attempts,
        next_attempt_at: retryIn === null ? null : new Date(now.getTime() + retryIn).toISOString(),
        last_attempt_at: now.toISOString(),
        response_code: result.status,
        response_excerpt: result.excerpt || null,
        error: ok ? null : describeFailure(result),
        duration_ms: result.durationMs,
      })
      .where('id', '=', d.id)
      .execute();
    if (ok) {
      if (endpoint.failing_since !== null) {
        await trx.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', endpoint.id).execute();
      }
      return;
    }
    const since = endpoint.failing_since ?? now.toISOString();
    if (now.getTime() - Date.parse(since) <= DISABLE_AFTER_MS) {
      if (endpoint.failing_since === null) {
        await trx.updateTable('webhook_endpoints').set({ failing_since: since }).where('id', '=', endpoint.id).execute();
      }
      return;
    }
    // Failing for days: switch it off, settle what waits for it, and tell the newsroom.
    const reason = `Switched off on ${now.toISOString().slice(0, 10)}: every delivery since ${since.slice(0, 16).replace('T', ' ')} UTC failed (last: ${describeFailure(result)}).`;
    await trx
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_reason: reason.slice(0, 500), updated_at: now.toISOString() })
      .where('id', '=', endpoint.id)
      .execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, error: 'the endpoint was switched off after failing for days' })
      .where('endpoint_id', '=', endpoint.id)
      .where('status', '=', 'pending')
      .execute();
    await recordEvent(trx, 'webhook.changed', endpoint.id, { action: 'disabled', automatic: true });
    // And every administrator by email (a job each, sent when mail is configured).
    await queueDisabledAlerts(trx, endpoint, reason.slice(0, 500));
  });
}

/** Sends every due delivery once (each to its endpoint, signed); answers how many were attempted. */
export async function deliverDue(db: Kysely<Database>, opts: DeliverOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const settings = {
    now,
    allowPrivate: opts.allowPrivate ?? webhooksAllowPrivate(),
    timeoutMs: opts.timeoutMs ?? 10_000,
    maxBytes: opts.maxBytes ?? 64 * 1024,
  };
  let total = 0;
  for (;;) {
    const due = await dueDeliveries(db, now, BATCH);
    let taken = 0;
    for (const d of due) {
      if (!(await leaseDelivery(db, d, new Date(now.getTime() + LEASE_MS)))) continue;
      taken++;
      await attempt(db, { ...d, next_attempt_at: null }, settings);
    }
    total += taken;
    if (due.length < BATCH || taken === 0) return total;
  }
}

/** Queues the sending job for when the next retry is due, unless one already waits that long or less. */
export async function scheduleNextDelivery(db: Kysely<Database>): Promise<void> {
  const next = await nextDueAt(db);
  if (!next) return;
  const waiting = await db
    .selectFrom('jobs')
    .select('run_at')
    .where('dedupe_key', '=', WEBHOOK_JOB_KEY)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  if (waiting && waiting.run_at <= next) return;
  await enqueueJob(db, { type: WEBHOOK_JOB, key: WEBHOOK_JOB_KEY, runAt: new Date(next), maxAttempts: 20 });
}

/** The delivery log keeps settled deliveries this long. */
export const LOG_DAYS = 30;

/** Forgets settled deliveries older than the log keeps; answers how many. */
export async function pruneDeliveries(db: Kysely<Database>, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('status', '!=', 'pending')
    .where('created_at', '<', new Date(now.getTime() - LOG_DAYS * DAY).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The `webhooks.deliver` job: sends what is due, books itself for the next retry, and trims the
 * log. Private addresses are allowed as the process's configuration says.
 */
export function webhookJobHandler(db: Kysely<Database>, config: Pick<Config, 'webhooksAllowPrivate'>): JobHandler {
  const allowPrivate = allowPrivateFor(config);
  return async () => {
    await deliverDue(db, { allowPrivate });
    await scheduleNextDelivery(db);
    await pruneDeliveries(db);
  };
}
