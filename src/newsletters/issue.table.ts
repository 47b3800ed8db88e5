import type { Generated, Selectable } from 'kysely';

export type IssueStatus = 'draft' | 'sending' | 'sent';
/** How an issue came to be: composed in the newsroom, "send as breaking news", automatic, or the CLI. */
export type IssueOrigin = 'manual' | 'breaking' | 'on_publish' | 'digest' | 'cli';

/** One issue of a newsletter list: its articles, subject and intro, and how its sending went. */
export interface NewsletterIssueTable {
  id: Generated<number>;
  list_id: number;
  subject: string;
  intro: string;
  /** JSON array of article ids, in the order the email shows them. */
  article_ids: string;
  status: IssueStatus;
  origin: IssueOrigin;
  /** For automatic issues: what made it (`publish:LIST:ARTICLE`, `digest:LIST:DATE`); unique, so never made twice. */
  trigger_key: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** When "send" was asked for. */
  queued_at: string | null;
  /** When the last delivery was settled. */
  sent_at: string | null;
  /** Recipients written as delivery rows; null until then. */
  recipients: number | null;
  sent_count: number;
  failed_count: number;
  bounced_count: number;
}
export type NewsletterIssue = Selectable<NewsletterIssueTable>;
