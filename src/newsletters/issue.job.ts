import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { type JobHandler, PermanentJobError } from '../jobs/job.runner.js';
import { closeMailers, mailerFor } from '../mail/mail.transport.js';
import { loadSettings } from '../settings/settings.service.js';
import { type MailSender, type SendOutcome, sendIssue } from './delivery.sender.js';
import { recipientLinks } from './issue.links.js';
import { findIssue, findList } from './issue.repo.js';
import { issueEmail, SEND_JOB, siteOrigin } from './issue.service.js';

export interface IssueSenderDeps {
  db: Kysely<Database>;
  /**
   * The site secret (the links in emails are signed with it) and the environment's mail settings
   * (the newsroom's, when saved, win): the server's or the command's configuration.
   */
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'secret'>;
  /** A transport of its own (tests, the bench); else the pooled mailer of the settings in force. */
  mailer?: MailSender;
  batchSize?: number;
  concurrency?: number;
  backoff?: (attempt: number) => number;
  /** Asked between messages: true stops the send where it is (the rest stays queued). */
  shouldStop?: () => boolean;
}

/**
 * Sends one issue now (the `newsletter.send` job, `gazette newsletter send`, tests): renders it
 * once and works through its deliveries. Null when the issue is not one to send (gone, a draft).
 */
export async function runIssueSend(deps: IssueSenderDeps, issueId: number): Promise<SendOutcome | null> {
  const { db } = deps;
  const issue = await findIssue(db, issueId);
  if (!issue || issue.status === 'draft') return null;
  const list = await findList(db, issue.list_id);
  if (!list) throw new PermanentJobError(`the list of issue ${issueId} no longer exists`);
  if (issue.status === 'sent') return { sent: 0, failed: 0, bounced: 0, remaining: 0, nextAt: null, done: true };
  const settings = await loadSettings(db);
  const origin = siteOrigin(settings);
  const { config } = deps;
  const mailer = deps.mailer ?? (await mailerFor(db, config));
  const email = await issueEmail(db, issue, list, settings, origin).catch((error: unknown) => {
    // Every article withdrawn before the send began: nothing to mail, and retrying will not change that.
    if (error instanceof AppError) throw new PermanentJobError(error.message);
    throw error;
  });
  const links = recipientLinks({ origin, listId: list.id, secret: config.secret });
  return sendIssue({
    db,
    issueId,
    listId: list.id,
    mailer,
    email,
    links,
    batchSize: deps.batchSize,
    concurrency: deps.concurrency,
    backoff: deps.backoff,
    shouldStop: deps.shouldStop,
  });
}

/**
 * The `newsletter.send` job: sends what is due; deliveries waiting for a retry bring the job back
 * at their time (a new job, so back-off of deliveries never uses up the job's own attempts).
 */
export function issueSendHandler(deps: IssueSenderDeps): { handler: JobHandler; close(): void } {
  let closing = false;
  const shouldStop = () => closing || (deps.shouldStop?.() ?? false);
  return {
    handler: async (payload: { issueId?: unknown }) => {
      const issueId = Number(payload.issueId);
      if (!Number.isInteger(issueId) || issueId < 1) throw new PermanentJobError('no issue id');
      const outcome = await runIssueSend({ ...deps, shouldStop }, issueId);
      if (!outcome || outcome.done) return;
      const runAt = closing || !outcome.nextAt ? new Date() : new Date(outcome.nextAt);
      await enqueueJob(deps.db, { type: SEND_JOB, payload: { issueId }, key: `${SEND_JOB}:${issueId}`, runAt, maxAttempts: 20 });
    },
    close() {
      closing = true;
      closeMailers();
    },
  };
}
