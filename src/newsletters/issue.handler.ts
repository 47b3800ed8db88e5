import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { JobHandler } from '../jobs/job.runner.js';

/**
 * The `newsletter.send` job's handler for the job runner (with the process's configuration: the
 * secret the links are signed with, the mail settings), loading the sender (and the mail
 * transport) when the first issue is sent rather than when the server starts.
 */
export function newsletterSendHandler(
  db: Kysely<Database>,
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'secret'>,
): { handler: JobHandler; close(): void } {
  let loaded: Promise<{ handler: JobHandler; close(): void }> | undefined;
  let closed = false;
  return {
    handler: async (payload, job) => {
      loaded ??= import('./issue.job.js').then((m) => m.issueSendHandler({ db, config }));
      return (await loaded).handler(payload, job);
    },
    close() {
      if (closed) return;
      closed = true;
      void loaded?.then((sender) => sender.close());
    },
  };
}
