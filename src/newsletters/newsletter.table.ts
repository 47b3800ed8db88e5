import type { Generated, Selectable } from 'kysely';

// The column types of every newsletter table (lists, subscribers, subscriptions here; issues and
// deliveries beside them). Times are ISO 8601 UTC text.

export type ListKind = 'daily' | 'section' | 'breaking' | 'custom';
export type ListAutoMode = 'off' | 'on_publish' | 'daily_digest';
export const LIST_KINDS: readonly ListKind[] = ['daily', 'section', 'breaking', 'custom'];
export const LIST_AUTO_MODES: readonly ListAutoMode[] = ['off', 'on_publish', 'daily_digest'];

/** One newsletter a reader can take: the daily briefing, a section's, breaking news, or any other. */
export interface NewsletterListTable {
  id: Generated<number>;
  /** Unique; `daily` exists on a fresh install. */
  slug: string;
  name: string;
  description: string;
  /** The section whose articles a `section` list carries. */
  section_id: number | null;
  kind: ListKind;
  auto_mode: ListAutoMode;
  /** `HH:MM` in the site's time zone, for `daily_digest`. */
  digest_time: string;
  created_at: string;
  updated_at: string;
}
export type NewsletterList = Selectable<NewsletterListTable>;

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced';

/** A reader's address. Only `confirmed` subscribers are ever mailed an issue. */
export interface SubscriberTable {
  id: Generated<number>;
  /** Trimmed and lowercased; unique. Stored only to mail the reader. */
  email: string;
  status: SubscriberStatus;
  /**
   * A random key; the links in emails (confirm, preferences, unsubscribe) carry an HMAC of the id
   * and this key under the site secret, so the database alone does not hold a usable link.
   */
  link_key: string;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  bounced_at: string | null;
  /** When an unconfirmed (`pending`) address is deleted; null once confirmed. */
  expires_at: string | null;
}
export type Subscriber = Selectable<SubscriberTable>;

/** Which lists a subscriber takes. */
export interface SubscriptionTable {
  subscriber_id: number;
  list_id: number;
  created_at: string;
}
export type Subscription = Selectable<SubscriptionTable>;
