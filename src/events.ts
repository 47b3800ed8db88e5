import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db/database.js';
import { subscribersOf } from './events.subscribers.js';

/** Every event Gazette records. Side effects (cache purges, narration, images) are driven from these. */
export type EventType =
  | 'article.published'
  | 'article.updated'
  | 'article.scheduled'
  | 'article.unpublished'
  | 'article.saved'
  | 'article.created'
  | 'article.submitted'
  | 'article.returned'
  | 'article.restored'
  | 'article.corrected'
  | 'media.uploaded'
  | 'media.changed'
  | 'media.deleted'
  | 'tag.changed'
  | 'user.changed'
  | 'section.changed'
  | 'person.changed'
  | 'settings.changed'
  | 'comment.submitted'
  | 'comment.approved'
  | 'comment.rejected'
  | 'comment.reported'
  | 'comment.erased'
  | 'commenter.banned'
  | 'commenter.unbanned'
  | 'narration.ready'
  | 'narration.failed'
  | 'redirect.changed'
  | 'subscriber.confirmed'
  | 'subscriber.unsubscribed'
  | 'newsletter.changed'
  | 'webhook.changed'
  | 'lexicon.changed'
  | 'import.finished';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Records an event; call it with the same transaction as the change it describes. The event's
 * subscribers (`src/events.subscribers.ts`) run in that transaction too.
 */
export async function recordEvent(
  trx: Executor,
  type: EventType,
  subjectId: number | null,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await trx
    .insertInto('events')
    .values({ type, subject_id: subjectId, payload: JSON.stringify(payload), created_at: new Date().toISOString() })
    .execute();
  const event: RecordedEvent = { type, subjectId, payload };
  for (const subscriber of subscribersOf(type)) await subscriber.run(trx, event);
}

export interface RecordedEvent {
  type: EventType;
  subjectId: number | null;
  payload: Record<string, unknown>;
}

/** The id of the newest recorded event (0 when there is none). */
export async function latestEventId(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The id, type and subject of the events with ids in (after, upTo], oldest first: one range of the primary key. */
export async function eventsBetween(
  db: Executor,
  after: number,
  upTo: number,
): Promise<{ id: number; type: string; subjectId: number | null }[]> {
  const rows = await db
    .selectFrom('events')
    .select(['id', 'type', 'subject_id'])
    .where('id', '>', after)
    .where('id', '<=', upTo)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), type: r.type, subjectId: r.subject_id }));
}
