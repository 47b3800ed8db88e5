import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { type JobHandler, PermanentJobError } from '../jobs/job.runner.js';
import { loadMailSettings } from '../mail/mail.settings.js';
import { MailError, type MailMessage, sendMail } from '../mail/mail.transport.js';
import { loadSettings } from '../settings/settings.service.js';
import { findEndpoint } from './webhook.repo.js';

/** The job that emails one administrator that Gazette switched a failing endpoint off. */
export const WEBHOOK_ALERT_JOB = 'webhooks.disabled_mail';
/** Tries (with the runner's back-off, about an hour and a half in all) before the email counts as failed. */
export const ALERT_ATTEMPTS = 10;

/** The endpoint's address is read when the job runs, not carried: only ids and the reason. */
export interface WebhookAlertPayload {
  endpointId: number;
  userId: number;
  reason: string;
}

/**
 * Queues one email per active administrator, in the transaction that switches the endpoint off:
 * once per switching off, sent after the commit (when mail is configured by then).
 */
export async function queueDisabledAlerts(trx: Executor, endpoint: { id: number }, reason: string): Promise<number> {
  const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).orderBy('id').execute();
  for (const admin of admins) {
    const payload: WebhookAlertPayload = { endpointId: endpoint.id, userId: admin.id, reason };
    await enqueueJob(trx, {
      type: WEBHOOK_ALERT_JOB,
      payload: { ...payload },
      key: `${WEBHOOK_ALERT_JOB}:${endpoint.id}:${admin.id}`,
      maxAttempts: ALERT_ATTEMPTS,
    });
  }
  return admins.length;
}

const origin = (siteUrl: string) => (siteUrl.trim() || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');

/**
 * The address as the email names it: scheme and host only, since a receiver's path or query often
 * holds a secret of its own (an email is not the newsroom); the link leads to the full address.
 */
export function shownAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search ? '/…' : ''}`;
  } catch {
    return 'an endpoint';
  }
}

/** The email itself: plain text, what happened and where to switch the endpoint back on. */
export function disabledAlertEmail(opts: { to: string; siteName: string; url: string; reason: string; pageUrl: string }): MailMessage {
  const subject = `[${opts.siteName}] Webhook switched off: ${opts.url}`.slice(0, 250);
  const text = [
    `Gazette switched off the webhook endpoint ${opts.url}.`,
    '',
    opts.reason,
    '',
    'It receives no deliveries until it is switched on again. Check the receiving system, then',
    'switch the endpoint back on from its page:',
    opts.pageUrl,
    '',
    'You receive this email because you are an administrator of this site.',
  ].join('\n');
  return { to: opts.to, subject, text };
}

function parsePayload(payload: unknown): WebhookAlertPayload {
  const p = (payload ?? {}) as Partial<WebhookAlertPayload>;
  const endpointId = Number(p.endpointId);
  const userId = Number(p.userId);
  if (!Number.isInteger(endpointId) || endpointId < 1 || !Number.isInteger(userId) || userId < 1) {
    throw new PermanentJobError('no endpoint or user id');
  }
  return { endpointId, userId, reason: String(p.reason ?? '').slice(0, 500) };
}

/**
 * The alert job: mails the administrator unless mail is not configured, the account is no longer
 * an active administrator, or the endpoint was switched on again (or deleted) meanwhile.
 * A temporary mail failure throws (retried with back-off); a permanent one fails the job.
 */
export function webhookAlertHandler(deps: { db: Kysely<Database>; config: Pick<Config, 'smtpUrl' | 'mailFrom'> }): JobHandler {
  const { db, config } = deps;
  return async (payload) => {
    const p = parsePayload(payload);
    const mail = await loadMailSettings(db, config);
    if (!mail.smtpUrl) return;
    const user = await db.selectFrom('users').select(['email', 'role', 'active']).where('id', '=', p.userId).executeTakeFirst();
    if (user?.role !== 'admin' || user.active !== 1) return;
    const endpoint = await findEndpoint(db, p.endpointId);
    if (!endpoint || endpoint.enabled) return;
    const settings = await loadSettings(db);
    const message = disabledAlertEmail({
      to: user.email,
      siteName: settings.siteName,
      url: shownAddress(endpoint.url),
      reason: p.reason || (endpoint.disabled_reason ?? ''),
      pageUrl: `${origin(settings.siteUrl)}/admin/webhooks/${endpoint.id}`,
    });
    try {
      await sendMail(db, config, message);
    } catch (error) {
      if (error instanceof AppError && error.code === 'mail_not_configured') return;
      if (error instanceof MailError && error.permanent) throw new PermanentJobError(error.message);
      throw error;
    }
  };
}
