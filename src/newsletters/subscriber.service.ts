import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import { normaliseEmail } from '../mail/mail.address.js';
import { findListBySlug, listLists } from './list.repo.js';
import type { NewsletterList, Subscriber } from './newsletter.table.js';
import { tokenId, tokenMatches } from './subscriber.links.js';
import { findSubscriberByEmail, findSubscriberById, listsOf, setSubscriptions } from './subscriber.repo.js';

export { confirmedSubscribersOf, findSubscriberByEmail, findSubscriberById, listsOf, searchSubscribers } from './subscriber.repo.js';

/** An unconfirmed address is deleted this long after its (latest) sign-up. */
export const CONFIRM_WINDOW_MS = 7 * 86_400_000;
/** The most lists one sign-up may name. */
const MAX_LISTS = 50;

const newKey = () => randomBytes(16).toString('base64url');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What a sign-up needs next: `confirm`, a confirmation email (a new or still unconfirmed address,
 * or one that had left); `already`, a note to an address that is already subscribed (same answer
 * to the reader either way, so the form tells nobody who subscribes).
 */
export interface SignUp {
  subscriber: Subscriber;
  next: 'confirm' | 'already';
  lists: NewsletterList[];
}

/** The lists a sign-up names by slug (the daily briefing when it names none); an unknown one is a 422. */
export async function listsBySlug(db: Executor, slugs: string[]): Promise<NewsletterList[]> {
  const wanted = [...new Set(slugs.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length > MAX_LISTS) throw new AppError('invalid', 'Too many lists were chosen.', 'list');
  if (wanted.length === 0) wanted.push('daily');
  const lists: NewsletterList[] = [];
  for (const slug of wanted) {
    const list = await findListBySlug(db, slug);
    if (!list) throw new AppError('invalid', 'Choose one of the newsletters offered.', 'list');
    lists.push(list);
  }
  return lists;
}

/** A reader asks for newsletters: a pending subscriber (double opt-in) or, if already confirmed, nothing changes. */
export async function subscribe(trx: Executor, input: { email: string; lists: string[]; now?: Date }): Promise<SignUp> {
  const email = normaliseEmail(input.email);
  const lists = await listsBySlug(trx, input.lists);
  const now = (input.now ?? new Date()).getTime();
  const ids = lists.map((l) => l.id);
  const existing = await findSubscriberByEmail(trx, email);
  if (existing?.status === 'confirmed') return { subscriber: existing, next: 'already', lists };
  let subscriber: Subscriber;
  if (!existing) {
    subscriber = await trx
      .insertInto('subscribers')
      .values({
        email,
        status: 'pending',
        link_key: newKey(),
        created_at: iso(now),
        updated_at: iso(now),
        confirmed_at: null,
        unsubscribed_at: null,
        bounced_at: null,
        expires_at: iso(now + CONFIRM_WINDOW_MS),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setSubscriptions(trx, subscriber.id, ids, iso(now));
  } else {
    // Still unconfirmed: the lists add up. Had left (or bounced): the new choice replaces the old.
    const keep = existing.status === 'pending' ? (await listsOf(trx, existing.id)).map((l) => l.id) : [];
    subscriber = await trx
      .updateTable('subscribers')
      .set({ status: 'pending', updated_at: iso(now), expires_at: iso(now + CONFIRM_WINDOW_MS) })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await setSubscriptions(trx, subscriber.id, [...new Set([...keep, ...ids])], iso(now));
  }
  return { subscriber, next: 'confirm', lists };
}

/** The subscriber a link's token names, or a 404 (a token that is wrong, forged, or of an erased address). */
export async function subscriberByToken(db: Executor, secret: string, token: unknown): Promise<Subscriber> {
  const id = tokenId(token);
  const subscriber = id ? await findSubscriberById(db, id) : undefined;
  if (!subscriber || !tokenMatches(secret, subscriber, String(token))) {
    throw new AppError('not_found', 'This link is not valid any more. Sign up again on the newsletters page.');
  }
  return subscriber;
}

/** The confirmation link was followed: a pending address becomes confirmed, with its event. */
export async function confirmSubscriber(
  trx: Executor,
  input: { secret: string; token: unknown; now?: Date },
): Promise<{ subscriber: Subscriber; changed: boolean }> {
  const current = await subscriberByToken(trx, input.secret, input.token);
  const now = input.now ?? new Date();
  if (current.status !== 'pending') return { subscriber: current, changed: false };
  if (current.expires_at && current.expires_at < now.toISOString()) {
    throw new AppError('not_found', 'This confirmation link has expired. Sign up again on the newsletters page.');
  }
  const subscriber = await trx
    .updateTable('subscribers')
    .set({ status: 'confirmed', confirmed_at: now.toISOString(), updated_at: now.toISOString(), expires_at: null, unsubscribed_at: null })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const lists = (await listsOf(trx, subscriber.id)).map((l) => l.slug);
  await recordEvent(trx, 'subscriber.confirmed', subscriber.id, { id: subscriber.id, lists });
  return { subscriber, changed: true };
}

async function leave(trx: Executor, subscriber: Subscriber, lists: string[], reason: string, now: string): Promise<Subscriber> {
  const left = await trx
    .updateTable('subscribers')
    .set({
      status: reason === 'bounced' ? 'bounced' : 'unsubscribed',
      unsubscribed_at: now,
      updated_at: now,
      expires_at: null,
      ...(reason === 'bounced' ? { bounced_at: now } : {}),
    })
    .where('id', '=', subscriber.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'subscriber.unsubscribed', subscriber.id, { id: subscriber.id, lists, reason });
  return left;
}

/**
 * Unsubscribes from one list (the list of the email the link came in) or, without one, from
 * every list. Leaving the last list makes the subscriber `unsubscribed`. Idempotent.
 */
export async function unsubscribe(
  trx: Executor,
  input: { subscriber: Subscriber; listId?: number | null; now?: Date },
): Promise<Subscriber> {
  const now = (input.now ?? new Date()).toISOString();
  const { subscriber } = input;
  const lists = await listsOf(trx, subscriber.id);
  const leaving = input.listId ? lists.filter((l) => l.id === input.listId) : lists;
  const staying = lists.filter((l) => !leaving.includes(l));
  if (leaving.length) {
    await trx
      .deleteFrom('subscriptions')
      .where('subscriber_id', '=', subscriber.id)
      .where(
        'list_id',
        'in',
        leaving.map((l) => l.id),
      )
      .execute();
  }
  if (staying.length === 0 && subscriber.status !== 'unsubscribed') {
    return leave(
      trx,
      subscriber,
      leaving.map((l) => l.slug),
      'unsubscribed',
      now,
    );
  }
  if (leaving.length) {
    await recordEvent(trx, 'subscriber.unsubscribed', subscriber.id, {
      id: subscriber.id,
      lists: leaving.map((l) => l.slug),
      reason: 'list',
    });
  }
  return subscriber;
}

/** The preferences page: exactly these lists (none: unsubscribed from everything). */
export async function setPreferences(trx: Executor, input: { subscriber: Subscriber; listIds: number[]; now?: Date }): Promise<Subscriber> {
  const { subscriber } = input;
  if (subscriber.status !== 'confirmed') throw new AppError('invalid', 'Confirm your address first: follow the link in the email we sent.');
  const offered = new Map((await listLists(trx)).map((l) => [l.id, l]));
  const ids = [...new Set(input.listIds)].filter((id) => offered.has(id));
  if (ids.length === 0) return unsubscribe(trx, { subscriber, now: input.now });
  const before = new Set((await listsOf(trx, subscriber.id)).map((l) => l.id));
  await setSubscriptions(trx, subscriber.id, ids, (input.now ?? new Date()).toISOString());
  const left = [...before].filter((id) => !ids.includes(id));
  if (left.length) {
    const lists = left.map((id) => offered.get(id)?.slug ?? String(id));
    await recordEvent(trx, 'subscriber.unsubscribed', subscriber.id, { id: subscriber.id, lists, reason: 'list' });
  }
  return subscriber;
}

/** A permanent delivery failure (a 5xx for the address): never mailed again until they sign up anew. */
export async function markBounced(trx: Executor, input: { subscriberId: number; now?: Date }): Promise<void> {
  const subscriber = await findSubscriberById(trx, input.subscriberId);
  if (!subscriber || subscriber.status === 'bounced') return;
  const lists = (await listsOf(trx, subscriber.id)).map((l) => l.slug);
  await leave(trx, subscriber, lists, 'bounced', (input.now ?? new Date()).toISOString());
}

/**
 * Deletes addresses never confirmed within the window, with their lists (also one whose
 * confirmation email bounced, once the window has passed); returns how many.
 */
export async function expirePending(trx: Executor, now = new Date()): Promise<number> {
  const stale = await trx
    .selectFrom('subscribers')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('expires_at', '<', now.toISOString())]),
        eb.and([
          eb('status', '=', 'bounced'),
          eb('confirmed_at', 'is', null),
          eb('bounced_at', '<', new Date(now.getTime() - CONFIRM_WINDOW_MS).toISOString()),
        ]),
      ]),
    )
    .limit(1000)
    .execute();
  if (stale.length === 0) return 0;
  const ids = stale.map((r) => r.id);
  await trx.deleteFrom('subscriptions').where('subscriber_id', 'in', ids).execute();
  await trx.deleteFrom('subscribers').where('id', 'in', ids).where('status', 'in', ['pending', 'bounced']).execute();
  return ids.length;
}
