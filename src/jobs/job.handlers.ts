import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { importJobHandler } from '../import/import.job.js';
import { IMPORT_JOB } from '../import/import.runs.js';
import { closeMailers } from '../mail/mail.transport.js';
import { RETIRE_AUDIO_JOB } from '../narration/narration.retire.js';
import { NARRATION_JOB } from '../narration/narration.service.js';
import { createNarrator } from '../narration/narration.setup.js';
import { newsletterSendHandler } from '../newsletters/issue.handler.js';
import { SEND_JOB as NEWSLETTER_SEND_JOB } from '../newsletters/issue.service.js';
import { SIGNUP_MAIL_JOB, signUpMailHandler } from '../newsletters/subscriber.mail.js';
import { WEBHOOK_ALERT_JOB, webhookAlertHandler } from '../webhooks/webhook.alert.js';
import { webhookJobHandler } from '../webhooks/webhook.delivery.js';
import { WEBHOOK_JOB } from '../webhooks/webhook.service.js';
import { WEBSUB_JOB, webSubJobHandler } from '../websub/websub.service.js';
import type { JobHandler } from './job.runner.js';

export interface JobHandlerSet {
  handlers: Record<string, JobHandler>;
  /** Releases what the handlers hold (child processes, connections). */
  close(): void;
}

/**
 * Every job type this program runs → its handler. A feature with background work adds its row
 * here (and what its handler holds to `close`). `config` is the process's own (the server's or
 * `gazette worker`'s): handlers take the secret and mail settings from it, not the environment.
 */
export function allJobHandlers(deps: { db: Kysely<Database>; dataDir: string; config: Config }): JobHandlerSet {
  // One synthesis host for the process, started when the first narration job needs it.
  const narrator = createNarrator({ db: deps.db, dataDir: deps.dataDir });
  const newsletters = newsletterSendHandler(deps.db, deps.config);
  return {
    handlers: {
      [NARRATION_JOB]: narrator.handlers[NARRATION_JOB],
      [IMPORT_JOB]: importJobHandler(deps),
      [RETIRE_AUDIO_JOB]: narrator.handlers[RETIRE_AUDIO_JOB],
      [WEBHOOK_JOB]: webhookJobHandler(deps.db, deps.config),
      [WEBHOOK_ALERT_JOB]: webhookAlertHandler(deps),
      [WEBSUB_JOB]: webSubJobHandler(deps.db, deps.config),
      [NEWSLETTER_SEND_JOB]: newsletters.handler,
      [SIGNUP_MAIL_JOB]: signUpMailHandler(deps),
    },
    close() {
      narrator.close();
      newsletters.close();
      // The sign-up and alert emails share the pooled mail connections.
      closeMailers();
    },
  };
}
