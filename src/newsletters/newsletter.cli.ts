import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { loadMailSettings } from '../mail/mail.settings.js';
import { closeMailers } from '../mail/mail.transport.js';
import { deliveryCounts } from './delivery.repo.js';
import type { MailSender } from './delivery.sender.js';
import { issueListNow } from './issue.auto.js';
import { runIssueSend } from './issue.job.js';
import { findIssue } from './issue.repo.js';

export interface NewsletterCommandOptions {
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'secret'>;
  /** Where lines go (the console; tests collect them). */
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** A transport of its own (tests); else the configured mail server. */
  mailer?: MailSender;
}

const USAGE = 'Usage: gazette newsletter send LIST_SLUG';

/**
 * `gazette newsletter send LIST_SLUG`: makes an issue of the list with the newest published
 * articles since its last issue and sends it now, in this process, then prints its counts.
 * Nothing new → says so (exit 0). Deliveries that failed for a while are left to the job runner.
 */
export async function newsletterCommand(db: Kysely<Database>, args: string[], opts: NewsletterCommandOptions): Promise<number> {
  const out = opts.out ?? ((line: string) => console.log(line));
  const err = opts.err ?? ((line: string) => console.error(line));
  const [sub, slug, ...extra] = args;
  if (sub !== 'send' || !slug || extra.length) {
    err(USAGE);
    return 1;
  }
  try {
    // Before an issue is made: without a mail server it would only wait.
    if (!opts.mailer && !(await loadMailSettings(db, opts.config)).smtpUrl) throw new AppError('mail_not_configured');
    const { list, issueId } = await issueListNow(db, { slug });
    if (issueId === null) {
      out(`Nothing to send: no article was published since the last issue of “${list.name}” (${list.slug}).`);
      return 0;
    }
    const outcome = await runIssueSend({ db, config: opts.config, mailer: opts.mailer }, issueId);
    const issue = await findIssue(db, issueId);
    const counts = await deliveryCounts(db, issueId);
    const waiting = counts.queued + counts.sending;
    out(
      JSON.stringify({
        issue: issueId,
        list: list.slug,
        status: issue?.status ?? 'sending',
        recipients: issue?.recipients ?? 0,
        sent: counts.sent,
        failed: counts.failed,
        bounced: counts.bounced,
        waiting,
      }),
    );
    if (outcome && !outcome.done) out(`${waiting} message(s) wait for a retry; the server’s job runner (or gazette worker) sends them.`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      err(`gazette newsletter: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    closeMailers();
  }
}
