import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { MailMessage, MailResult } from '../mail/mail.transport.js';
import {
  type ClaimedDelivery,
  claimDeliveries,
  deliveryCounts,
  extendClaims,
  markDelivered,
  markUndelivered,
  nextAttemptAt,
  releaseClaims,
  writeRecipients,
} from './delivery.repo.js';
import { settleIssue } from './delivery.settle.js';
import type { RenderedEmail } from './email.issue.js';
import { personalise } from './email.issue.js';
import { markBounced } from './subscriber.service.js';

/** What the sender needs of a mail transport (src/mail/mail.transport.ts's Mailer; a stand-in in tests). */
export interface MailSender {
  send(message: MailMessage): Promise<MailResult>;
}

/** A recipient's own links and headers: unsubscribe (one click, RFC 8058) and preferences. */
export interface RecipientLinks {
  unsubscribe: string;
  preferences: string;
  headers: Record<string, string>;
}

export interface SendIssueOptions {
  db: Kysely<Database>;
  issueId: number;
  listId: number;
  mailer: MailSender;
  /** The issue rendered once, with placeholders for each recipient's links. */
  email: RenderedEmail;
  links: (recipient: { subscriberId: number; email: string; linkKey: string }) => RecipientLinks;
  /** Deliveries claimed at a time (one transaction each). */
  batchSize?: number;
  /** Messages in flight at once (the transport's pool queues the rest and keeps to its rate). */
  concurrency?: number;
  /** How long a claim holds before another sender may take the rows over. */
  leaseMs?: number;
  /** Attempts before a temporary failure counts as failed for good. */
  maxAttempts?: number;
  /** Milliseconds before attempt `attempt + 1` after a temporary failure. */
  backoff?: (attempt: number) => number;
  /** Asked between messages: true stops the send (shutdown); what is left stays queued for the next run. */
  shouldStop?: () => boolean;
}

export interface SendOutcome {
  /** Delivered by this run. */
  sent: number;
  failed: number;
  bounced: number;
  /** Waiting for a retry (or not reached because the run stopped). */
  remaining: number;
  /** When the earliest waiting delivery is due (null when none waits). */
  nextAt: string | null;
  /** The whole issue is settled (every delivery sent, failed or bounced). */
  done: boolean;
}

/** Retries after a temporary failure: 1 minute, 5, 30, then two hours. */
export function deliveryBackoff(attempt: number): number {
  const steps = [60_000, 300_000, 1_800_000, 7_200_000];
  return steps[Math.min(Math.max(attempt, 1), steps.length) - 1];
}

/**
 * Sends an issue to its recipients: writes the delivery rows once, then claims due rows in
 * batches, hands each message to the mail server and records the outcome of each at once, so a
 * run that stops (or dies) and starts again mails nobody twice. A permanent refusal of the
 * address (5xx) marks the subscriber bounced; other failures are tried again with back-off until
 * `maxAttempts`. Returns when nothing is due now; `nextAt` says when to come back.
 */
export async function sendIssue(opts: SendIssueOptions): Promise<SendOutcome> {
  const { db } = opts;
  const batchSize = opts.batchSize ?? 200;
  const concurrency = Math.max(1, opts.concurrency ?? 10);
  const leaseMs = opts.leaseMs ?? 120_000;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoff = opts.backoff ?? deliveryBackoff;
  const stop = opts.shouldStop ?? (() => false);
  const outcome = { sent: 0, failed: 0, bounced: 0 };

  await db.transaction().execute((trx) => writeRecipients(trx, opts.issueId, opts.listId, new Date().toISOString()));

  const deliver = async (d: ClaimedDelivery): Promise<void> => {
    const links = opts.links({ subscriberId: d.subscriberId, email: d.email, linkKey: d.linkKey });
    const copy = personalise(opts.email, links);
    try {
      await opts.mailer.send({ to: d.email, subject: copy.subject, text: copy.text, html: copy.html, headers: links.headers });
      await markDelivered(db, d.id);
      outcome.sent++;
    } catch (error) {
      const e = error as { message?: string; permanent?: boolean; recipientRefused?: boolean };
      const message = String(e.message ?? error);
      if (e.recipientRefused) {
        await db.transaction().execute(async (trx) => {
          await markUndelivered(trx, d.id, { status: 'bounced', error: message });
          await markBounced(trx, { subscriberId: d.subscriberId });
        });
        outcome.bounced++;
      } else if (e.permanent || d.attempts + 1 >= maxAttempts) {
        await markUndelivered(db, d.id, { status: 'failed', error: message });
        outcome.failed++;
      } else {
        await markUndelivered(db, d.id, { status: 'queued', error: message, retryAt: new Date(Date.now() + backoff(d.attempts + 1)) });
      }
    }
  };

  let batches = 0;
  for (;;) {
    if (stop()) break;
    // The issue's counts follow a long send (the issues list reads them; the issue's page counts live).
    if (++batches % 10 === 0) await settleIssue(db, opts.issueId, await deliveryCounts(db, opts.issueId), false);
    const batch = await claimDeliveries(db, { issueId: opts.issueId, listId: opts.listId, size: batchSize, leaseMs });
    if (batch.length === 0) break;
    const pending = [...batch];
    const lease = setInterval(() => {
      void extendClaims(
        db,
        pending.map((d) => d.id),
        new Date(Date.now() + leaseMs),
      ).catch(() => undefined);
    }, leaseMs / 3);
    lease.unref();
    try {
      const workers = Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        for (;;) {
          if (stop()) return;
          const d = pending.shift();
          if (!d) return;
          await deliver(d);
        }
      });
      await Promise.all(workers);
    } finally {
      clearInterval(lease);
      // Stopped part-way: the rows not reached go back to the queue for the next run.
      await releaseClaims(
        db,
        pending.map((d) => d.id),
      );
    }
  }

  const counts = await deliveryCounts(db, opts.issueId);
  const remaining = counts.queued + counts.sending;
  const done = remaining === 0;
  await settleIssue(db, opts.issueId, counts, done);
  return { ...outcome, remaining, nextAt: done ? null : await nextAttemptAt(db, opts.issueId), done };
}
