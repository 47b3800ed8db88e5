import type { Generated, Selectable } from 'kysely';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced';

/** One recipient of one issue (unique per issue and subscriber): a send that restarts mails nobody twice. */
export interface NewsletterDeliveryTable {
  id: Generated<number>;
  issue_id: number;
  subscriber_id: number;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  /** Not before this time: the back-off after a temporary failure. */
  next_attempt_at: string;
  /** While `sending`: the sender holding the row; after this time another may take it (the first one stopped). */
  claimed_until: string | null;
  sent_at: string | null;
}
export type NewsletterDelivery = Selectable<NewsletterDeliveryTable>;
