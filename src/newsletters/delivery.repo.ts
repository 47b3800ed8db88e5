import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Executor } from '../events.js';
import type { DeliveryStatus } from './delivery.table.js';

/**
 * Writes one delivery row per confirmed subscriber of the issue's list, once per issue (an issue
 * whose recipients are written already is left alone), and returns how many recipients it has.
 */
export async function writeRecipients(trx: Executor, issueId: number, listId: number, now: string): Promise<number> {
  const issue = await trx.selectFrom('newsletter_issues').select('recipients').where('id', '=', issueId).executeTakeFirst();
  if (!issue) return 0;
  if (issue.recipients !== null) return issue.recipients;
  await trx
    .insertInto('newsletter_deliveries')
    .columns(['issue_id', 'subscriber_id', 'status', 'attempts', 'next_attempt_at'])
    .expression((eb) =>
      eb
        .selectFrom('subscriptions')
        .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
        .select((s) => [
          s.val(issueId).as('issue_id'),
          'subscribers.id',
          s.val('queued').as('status'),
          s.val(0).as('attempts'),
          s.val(now).as('next_attempt_at'),
        ])
        .where('subscriptions.list_id', '=', listId)
        .where('subscribers.status', '=', 'confirmed')
        .orderBy('subscribers.id'),
    )
    .onConflict((oc) => oc.columns(['issue_id', 'subscriber_id']).doNothing())
    .execute();
  const count = await trx
    .selectFrom('newsletter_deliveries')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('issue_id', '=', issueId)
    .executeTakeFirstOrThrow();
  const recipients = Number(count.n);
  await trx.updateTable('newsletter_issues').set({ recipients, updated_at: now }).where('id', '=', issueId).execute();
  return recipients;
}

export interface ClaimedDelivery {
  id: number;
  subscriberId: number;
  email: string;
  /** The subscriber's link key: their unsubscribe and preferences links are made from it. */
  linkKey: string;
  attempts: number;
}

/**
 * Takes up to `size` due deliveries of an issue for this sender, in one transaction: queued rows
 * whose time has come, and rows another sender held but stopped renewing (it died). Recipients who
 * left the list or the newsletters since the issue was queued are dropped instead of mailed.
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  opts: { issueId: number; listId: number; size: number; leaseMs: number; now?: Date },
): Promise<ClaimedDelivery[]> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const pg = dialectOf(db) === 'postgres';
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom('newsletter_deliveries')
      .select(['id', 'subscriber_id', 'attempts'])
      .where('issue_id', '=', opts.issueId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', nowIso)]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', nowIso)]),
        ]),
      )
      .orderBy('id')
      .limit(opts.size);
    if (pg) due = due.forUpdate().skipLocked();
    const rows = await due.execute();
    if (rows.length === 0) return [];
    const _ids = rows.map((r) => r.id);
    const people = await trx
      .selectFrom('subscribers')
      .innerJoin('subscriptions', 'subscriptions.subscriber_id', 'subscribers.id')
      .select(['subscribers.id', 'subscribers.email', 'subscribers.link_key'])
      .where('subscriptions.list_id', '=', opts.listId)
      .where('subscribers.status', '=', 'confirmed')
      .where(
        'subscribers.id',
        'in',
        rows.map((r) => r.subscriber_id),
      )
      .execute();
    const byId = new Map(people.map((p) => [p.id, p]));
    const gone = rows.filter((r) => !byId.has(r.subscriber_id)).map((r) => r.id);
    if (gone.length) await trx.deleteFrom('newsletter_deliveries').where('id', 'in', gone).execute();
    const kept = rows.filter((r) => byId.has(r.subscriber_id));
    if (kept.length) {
      await trx
        .updateTable('newsletter_deliveries')
        .set({ status: 'sending', claimed_until: new Date(now.getTime() + opts.leaseMs).toISOString() })
        .where(
          'id',
          'in',
          kept.map((r) => r.id),
        )
        .execute();
    }
    return kept.map((r) => {
      const person = byId.get(r.subscriber_id) as { email: string; link_key: string };
      return { id: r.id, subscriberId: r.subscriber_id, email: person.email, linkKey: person.link_key, attempts: r.attempts };
    });
  });
}

/** Keeps the rows this sender holds while it is still working through them. */
export async function extendClaims(db: Executor, ids: number[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('newsletter_deliveries')
    .set({ claimed_until: until.toISOString() })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
}

/** The SMTP server took the message: recorded at once, so a restart never mails this recipient again. */
export async function markDelivered(db: Executor, id: number, now = new Date()): Promise<void> {
  await db
    .updateTable('newsletter_deliveries')
    .set((eb) => ({ status: 'sent', sent_at: now.toISOString(), claimed_until: null, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

/** A failure: tried again at `retryAt`, or settled (`failed`, `bounced`) when `retryAt` is null. */
export async function markUndelivered(
  db: Executor,
  id: number,
  outcome: { status: Extract<DeliveryStatus, 'queued' | 'failed' | 'bounced'>; error: string; retryAt?: Date },
): Promise<void> {
  await db
    .updateTable('newsletter_deliveries')
    .set((eb) => ({
      status: outcome.status,
      last_error: outcome.error.slice(0, 500),
      claimed_until: null,
      attempts: eb('attempts', '+', 1),
      ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt.toISOString() } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

/** Rows a stopping sender held but did not reach: back in the queue at once. */
export async function releaseClaims(db: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('newsletter_deliveries')
    .set({ status: 'queued', claimed_until: null })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

export async function deliveryCounts(db: Executor, issueId: number): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('newsletter_deliveries')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .where('issue_id', '=', issueId)
    .groupBy('status')
    .execute();
  const counts: DeliveryCounts = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The earliest time a queued delivery of the issue may be tried again (null: none waits). */
export async function nextAttemptAt(db: Executor, issueId: number): Promise<string | null> {
  const row = await db
    .selectFrom('newsletter_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('issue_id', '=', issueId)
    .where('status', 'in', ['queued', 'sending'])
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

/** Recipients of the issue who have left the list or every newsletter since it was mailed to them. */
export async function unsubscribedSince(db: Executor, issueId: number, listId: number): Promise<number> {
  const row = await db
    .selectFrom('newsletter_deliveries as d')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('d.issue_id', '=', issueId)
    .where('d.status', '=', 'sent')
    .where((eb) =>
      eb.or([
        eb('s.status', '=', 'unsubscribed'),
        eb.not(
          eb.exists(
            eb
              .selectFrom('subscriptions as sub')
              .select('sub.list_id')
              .whereRef('sub.subscriber_id', '=', 'd.subscriber_id')
              .where('sub.list_id', '=', listId),
          ),
        ),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface DeliveryProblem {
  email: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
}

/** Failed and bounced deliveries of an issue, for its counts page. */
export async function deliveryProblems(db: Executor, issueId: number, limit = 50): Promise<DeliveryProblem[]> {
  const rows = await db
    .selectFrom('newsletter_deliveries as d')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select(['s.email', 'd.status', 'd.attempts', 'd.last_error'])
    .where('d.issue_id', '=', issueId)
    .where('d.status', 'in', ['failed', 'bounced'])
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ email: r.email, status: r.status, attempts: r.attempts, lastError: r.last_error }));
}
