import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { type JobHandler, PermanentJobError } from '../jobs/job.runner.js';
import { MailError, type MailMessage, sendMail } from '../mail/mail.transport.js';
import { loadSettings } from '../settings/settings.service.js';
import { alreadySubscribedEmail, confirmationEmail } from './subscriber.email.js';
import { confirmUrl, preferencesUrl, subscriberToken } from './subscriber.links.js';
import { findSubscriberById, listsOf } from './subscriber.repo.js';
import { markBounced, type SignUp } from './subscriber.service.js';

/** The job that mails what a sign-up calls for: the confirmation link, or the "already subscribed" note. */
export const SIGNUP_MAIL_JOB = 'newsletter.signup_mail';
/**
 * Tries before a sign-up email counts as failed. With the runner's back-off (about 5 s, 10 s, 20 s…
 * up to an hour) a mail server that is down is tried again for about an hour and a half.
 */
export const SIGNUP_MAIL_ATTEMPTS = 10;

/** What the job carries: never the address nor a token (both are read or made when it runs). */
export interface SignUpMailPayload {
  subscriberId: number;
  kind: SignUp['next'];
  /** The public origin the reader signed up on (the site's public address when set). */
  origin: string;
}

const jobKey = (subscriberId: number) => `${SIGNUP_MAIL_JOB}:${subscriberId}`;

/**
 * Queues the email a sign-up calls for, in the sign-up's transaction: it is sent by the job runner
 * after the commit, and retried while the mail server does not take it. While one waits for the
 * same address, a second sign-up replaces it (one email, not two).
 */
export async function queueSignUpMail(trx: Executor, signUp: SignUp, origin: string): Promise<number> {
  const payload: SignUpMailPayload = { subscriberId: signUp.subscriber.id, kind: signUp.next, origin };
  return enqueueJob(trx, {
    type: SIGNUP_MAIL_JOB,
    payload: { ...payload },
    key: jobKey(signUp.subscriber.id),
    maxAttempts: SIGNUP_MAIL_ATTEMPTS,
  });
}

function parsePayload(payload: unknown): SignUpMailPayload {
  const p = (payload ?? {}) as Partial<SignUpMailPayload>;
  const subscriberId = Number(p.subscriberId);
  if (!Number.isInteger(subscriberId) || subscriberId < 1) throw new PermanentJobError('no subscriber id');
  if (p.kind !== 'confirm' && p.kind !== 'already') throw new PermanentJobError('unknown sign-up email');
  if (typeof p.origin !== 'string' || !/^https?:\/\//.test(p.origin)) throw new PermanentJobError('no site address');
  return { subscriberId, kind: p.kind, origin: p.origin };
}

/**
 * The sign-up email job, with the configuration of the process that runs it (the secret signs the
 * links; the mail settings where the newsroom set none). No mail server: done, nothing sent. A temporary failure (4xx, a timeout, the server down) throws and the
 * runner tries again with back-off; a permanent 5xx refusal of the address marks the subscriber
 * `bounced` (and the job is done); other permanent failures fail the job for good.
 */
export function signUpMailHandler(deps: { db: Kysely<Database>; config: Pick<Config, 'secret' | 'smtpUrl' | 'mailFrom'> }): JobHandler {
  const { db, config } = deps;
  return async (payload) => {
    const p = parsePayload(payload);
    const subscriber = await findSubscriberById(db, p.subscriberId);
    // Erased, or the state moved on (confirmed meanwhile, left, bounced): nothing to say any more.
    if (!subscriber) return;
    if (p.kind === 'confirm' && subscriber.status !== 'pending') return;
    if (p.kind === 'already' && subscriber.status !== 'confirmed') return;
    const { siteName } = await loadSettings(db);
    const token = subscriberToken(config.secret, subscriber);
    let message: MailMessage;
    if (p.kind === 'confirm') {
      const lists = await listsOf(db, subscriber.id);
      message = confirmationEmail({ to: subscriber.email, siteName, lists, confirmUrl: confirmUrl(p.origin, token) });
    } else {
      message = alreadySubscribedEmail({ to: subscriber.email, siteName, preferencesUrl: preferencesUrl(p.origin, token) });
    }
    try {
      await sendMail(db, config, message);
    } catch (error) {
      // No mail server set (neither the newsroom's settings nor this process's): nothing to send, and retrying will not change that.
      if (error instanceof AppError && error.code === 'mail_not_configured') return;
      if (error instanceof MailError && error.permanent) {
        if (error.recipientRefused) {
          await db.transaction().execute((trx) => markBounced(trx, { subscriberId: subscriber.id }));
          return;
        }
        throw new PermanentJobError(error.message);
      }
      throw error;
    }
  };
}
