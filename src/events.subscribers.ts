import type { EventType, Executor, RecordedEvent } from './events.js';
import { requestNarration } from './narration/narration.service.js';
import { queueOnPublish } from './newsletters/issue.auto.js';
import { queueWebhookDeliveries } from './webhooks/webhook.service.js';
import { queueWebSubPing } from './websub/websub.service.js';

/**
 * Work that runs inside the transaction recording an event, so it commits or rolls back with the
 * change (queue a job, write a row). Slow work belongs in the job it queues, not here.
 */
export interface Subscriber {
  event: EventType;
  /** What it does, in a few words (as listed in docs/ARCHITECTURE.md). */
  name: string;
  run(trx: Executor, event: RecordedEvent): Promise<void>;
}

/** Publishing, editing or correcting an article asks for its narration (the `narration.generate` job). */
async function queueNarration(trx: Executor, event: RecordedEvent): Promise<void> {
  if (event.subjectId !== null) await requestNarration(trx, event.subjectId);
}

/**
 * Who reacts to which event, run in this order by `recordEvent`. A feature that reacts to events
 * (webhooks, newsletters, analytics) adds its rows here; nothing else registers subscribers.
 * Cache purges are not subscribers: the purge poller reads committed events (src/cache/).
 */
export const subscribers: readonly Subscriber[] = [
  { event: 'article.published', name: 'queue the narration job', run: queueNarration },
  { event: 'article.updated', name: 'queue the narration job', run: queueNarration },
  { event: 'article.corrected', name: 'queue the narration job', run: queueNarration },
  { event: 'article.published', name: 'queue the newsletter issues of lists sent on publish', run: queueOnPublish },
  { event: 'article.published', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'article.updated', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'article.unpublished', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'comment.submitted', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'comment.approved', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'comment.rejected', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'comment.reported', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'narration.ready', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'subscriber.confirmed', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'subscriber.unsubscribed', name: 'queue webhook deliveries', run: queueWebhookDeliveries },
  { event: 'article.published', name: 'queue the WebSub hub ping', run: queueWebSubPing },
  { event: 'article.updated', name: 'queue the WebSub hub ping', run: queueWebSubPing },
  { event: 'article.unpublished', name: 'queue the WebSub hub ping', run: queueWebSubPing },
];

const byEvent = new Map<EventType, Subscriber[]>();
for (const row of subscribers) byEvent.set(row.event, [...(byEvent.get(row.event) ?? []), row]);

/** The subscribers of one event type, in table order (none for most events). */
export function subscribersOf(type: EventType): readonly Subscriber[] {
  return byEvent.get(type) ?? [];
}
