import { sql } from 'kysely';
import type { Executor } from '../events.js';
import type { NewsletterList, Subscriber } from './newsletter.table.js';

export async function findSubscriberById(db: Executor, id: number): Promise<Subscriber | undefined> {
  return db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriberByEmail(db: Executor, email: string): Promise<Subscriber | undefined> {
  return db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The lists a subscriber takes, with when each was chosen. */
export async function listsOf(db: Executor, subscriberId: number): Promise<(NewsletterList & { subscribed_at: string })[]> {
  return db
    .selectFrom('subscriptions')
    .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
    .selectAll('newsletter_lists')
    .select('subscriptions.created_at as subscribed_at')
    .where('subscriptions.subscriber_id', '=', subscriberId)
    .orderBy('newsletter_lists.id')
    .execute();
}

/** Makes the subscriber's lists exactly `listIds` (keeping the dates of lists already taken). */
export async function setSubscriptions(trx: Executor, subscriberId: number, listIds: number[], now: string): Promise<void> {
  const current = await trx.selectFrom('subscriptions').select('list_id').where('subscriber_id', '=', subscriberId).execute();
  const have = new Set(current.map((r) => r.list_id));
  const want = new Set(listIds);
  const drop = [...have].filter((id) => !want.has(id));
  const add = [...want].filter((id) => !have.has(id));
  if (drop.length) await trx.deleteFrom('subscriptions').where('subscriber_id', '=', subscriberId).where('list_id', 'in', drop).execute();
  if (add.length) {
    await trx
      .insertInto('subscriptions')
      .values(add.map((list_id) => ({ subscriber_id: subscriberId, list_id, created_at: now })))
      .execute();
  }
}

export interface SubscriberRow extends Subscriber {
  lists: number;
}

/** Subscribers whose address contains `q`, newest first, a page at a time. */
export async function searchSubscribers(
  db: Executor,
  opts: { q: string; status?: string; page: number; size: number },
): Promise<{ rows: SubscriberRow[]; total: number }> {
  let query = db.selectFrom('subscribers');
  if (opts.q) {
    const pattern = `%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`email like ${pattern} escape '\\'`);
  }
  if (opts.status) query = query.where('status', '=', opts.status as Subscriber['status']);
  const total = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await query
    .selectAll('subscribers')
    .select((eb) =>
      eb
        .selectFrom('subscriptions')
        .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
        .select((e) => e.fn.countAll().as('c'))
        .as('lists'),
    )
    .orderBy('id', 'desc')
    .limit(opts.size)
    .offset((opts.page - 1) * opts.size)
    .execute();
  return { rows: rows.map((r) => ({ ...r, lists: Number(r.lists ?? 0) })), total: Number(total?.n ?? 0) };
}

/**
 * Confirmed subscribers of a list in id order after `afterId`, at most `limit`: the recipients of
 * an issue, read in batches.
 */
export async function confirmedSubscribersOf(
  db: Executor,
  listId: number,
  afterId: number,
  limit: number,
): Promise<Pick<Subscriber, 'id' | 'email' | 'link_key'>[]> {
  return db
    .selectFrom('subscribers')
    .innerJoin('subscriptions', 'subscriptions.subscriber_id', 'subscribers.id')
    .select(['subscribers.id as id', 'subscribers.email as email', 'subscribers.link_key as link_key'])
    .where('subscriptions.list_id', '=', listId)
    .where('subscribers.status', '=', 'confirmed')
    .where('subscribers.id', '>', afterId)
    .orderBy('subscribers.id')
    .limit(limit)
    .execute();
}
