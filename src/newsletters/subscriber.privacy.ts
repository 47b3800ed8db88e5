import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import { normaliseEmail } from '../mail/mail.address.js';
import { findSubscriberByEmail, listsOf } from './subscriber.repo.js';

/** Everything Gazette keeps about one subscriber, for the reader who asks (a data-access request). */
export interface SubscriberExport {
  email: string;
  status: string;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  bounced_at: string | null;
  expires_at: string | null;
  lists: { slug: string; name: string; subscribed_at: string }[];
  deliveries: { issue_id: number; subject: string; status: string; sent_at: string | null }[];
}

async function byEmail(db: Executor, raw: string) {
  let email: string;
  try {
    email = normaliseEmail(raw);
  } catch {
    throw new AppError('not_found', 'There is no subscriber with this address.');
  }
  const subscriber = await findSubscriberByEmail(db, email);
  if (!subscriber) throw new AppError('not_found', 'There is no subscriber with this address.');
  return subscriber;
}

export async function exportSubscriber(db: Executor, email: string): Promise<SubscriberExport> {
  const s = await byEmail(db, email);
  const lists = await listsOf(db, s.id);
  const deliveries = await db
    .selectFrom('newsletter_deliveries')
    .leftJoin('newsletter_issues', 'newsletter_issues.id', 'newsletter_deliveries.issue_id')
    .select([
      'newsletter_deliveries.issue_id as issue_id',
      'newsletter_issues.subject as subject',
      'newsletter_deliveries.status as status',
      'newsletter_deliveries.sent_at as sent_at',
    ])
    .where('newsletter_deliveries.subscriber_id', '=', s.id)
    .orderBy('newsletter_deliveries.id')
    .execute();
  return {
    email: s.email,
    status: s.status,
    created_at: s.created_at,
    confirmed_at: s.confirmed_at,
    unsubscribed_at: s.unsubscribed_at,
    bounced_at: s.bounced_at,
    expires_at: s.expires_at,
    lists: lists.map((l) => ({ slug: l.slug, name: l.name, subscribed_at: l.subscribed_at })),
    deliveries: deliveries.map((d) => ({ issue_id: d.issue_id, subject: d.subject ?? '', status: d.status, sent_at: d.sent_at })),
  };
}

/** One subscriber as CSV: a header line, then one line per list (the address on each). */
export function exportCsv(data: SubscriberExport): string {
  const cell = (v: string | null) => {
    const s = v ?? '';
    // A leading = + - @ would be a formula in a spreadsheet.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const head = ['email', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at', 'bounced_at', 'list', 'subscribed_at'];
  const base = [data.email, data.status, data.created_at, data.confirmed_at, data.unsubscribed_at, data.bounced_at];
  const rows = data.lists.length ? data.lists.map((l) => [...base, l.slug, l.subscribed_at]) : [[...base, '', '']];
  return `${[head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * Erases a subscriber: the address and its lists are deleted. Delivery rows of past issues keep
 * only a number that no longer leads to anyone (the issue's counts stay right); those not yet
 * sent are dropped. Returns the id that was erased.
 */
export async function eraseSubscriber(trx: Executor, email: string): Promise<number> {
  const s = await byEmail(trx, email);
  await trx.deleteFrom('subscriptions').where('subscriber_id', '=', s.id).execute();
  await trx.deleteFrom('newsletter_deliveries').where('subscriber_id', '=', s.id).where('status', 'in', ['queued', 'sending']).execute();
  await trx.deleteFrom('subscribers').where('id', '=', s.id).execute();
  await recordEvent(trx, 'subscriber.unsubscribed', s.id, { id: s.id, lists: [], reason: 'erased' });
  return s.id;
}
