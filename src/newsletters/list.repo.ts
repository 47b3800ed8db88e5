import type { Executor } from '../events.js';
import type { NewsletterList } from './newsletter.table.js';

/** Every list: the daily briefing first, then breaking news, then the rest by name. */
export async function listLists(db: Executor): Promise<NewsletterList[]> {
  const rows = await db.selectFrom('newsletter_lists').selectAll().orderBy('name').execute();
  const rank = (l: NewsletterList) => (l.kind === 'daily' ? 0 : l.kind === 'breaking' ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b));
}

export async function findListById(db: Executor, id: number): Promise<NewsletterList | undefined> {
  return db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findListBySlug(db: Executor, slug: string): Promise<NewsletterList | undefined> {
  return db.selectFrom('newsletter_lists').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Confirmed subscribers per list id (lists without any are absent). */
export async function confirmedCounts(db: Executor): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('subscriptions')
    .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
    .where('subscribers.status', '=', 'confirmed')
    .select(['subscriptions.list_id as list_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('subscriptions.list_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.list_id), Number(r.n)]));
}
