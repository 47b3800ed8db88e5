import type { EventType } from '../events.js';

/**
 * The events an endpoint may subscribe to, with what each means. Gazette has no article deletion:
 * withdrawing an article is `article.unpublished` (its page then answers 410).
 */
export const WEBHOOK_EVENTS = [
  { name: 'article.published', label: 'Article published' },
  { name: 'article.updated', label: 'Published article changed' },
  { name: 'article.unpublished', label: 'Article unpublished (withdrawn)' },
  { name: 'comment.submitted', label: 'Comment submitted' },
  { name: 'comment.approved', label: 'Comment approved' },
  { name: 'comment.rejected', label: 'Comment rejected' },
  { name: 'comment.reported', label: 'Comment reported by a reader' },
  { name: 'narration.ready', label: 'Narration ready' },
  { name: 'subscriber.confirmed', label: 'Newsletter subscriber confirmed' },
  { name: 'subscriber.unsubscribed', label: 'Newsletter subscriber unsubscribed' },
] as const satisfies readonly { name: EventType; label: string }[];

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]['name'];

export const WEBHOOK_EVENT_NAMES: readonly WebhookEvent[] = WEBHOOK_EVENTS.map((e) => e.name);

export const isWebhookEvent = (name: string): name is WebhookEvent => (WEBHOOK_EVENT_NAMES as readonly string[]).includes(name);
