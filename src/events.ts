import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db/database.js';

/** Every event Gazette records. Side effects (cache purges, narration, images) are driven from these. */
export type EventType =
  | 'article.published'
  | 'article.updated'
  | 'article.scheduled'
  | 'article.unpublished'
  | 'article.saved'
  | 'section.changed'
  | 'person.changed'
  | 'settings.changed';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Records an event; call it with the same transaction as the change it describes. */
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
}
