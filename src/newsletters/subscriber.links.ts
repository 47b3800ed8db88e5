import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The links in newsletter emails. Each carries the subscriber's token: the id and an HMAC of the
 * id and the subscriber's random `link_key` under the site secret. The database holds no usable
 * link, and erasing the subscriber (or changing the key) makes every old link dead.
 */

/** What the token is made from: a subscriber row has both. */
export interface LinkSubject {
  id: number;
  link_key: string;
}

const mac = (secret: string, id: number, key: string) =>
  createHmac('sha256', secret).update(`newsletter-subscriber|${id}|${key}`).digest('base64url').slice(0, 32);

/** The token of a subscriber's links: `ID.MAC`. */
export function subscriberToken(secret: string, subscriber: LinkSubject): string {
  return `${subscriber.id}.${mac(secret, subscriber.id, subscriber.link_key)}`;
}

/** The id a token claims (to load the row), or null when it is not of the right form. */
export function tokenId(token: unknown): number | null {
  if (typeof token !== 'string' || token.length > 64) return null;
  const m = /^([1-9]\d{0,8})\.[\w-]{32}$/.exec(token);
  return m ? Number(m[1]) : null;
}

/** True when the token was made for this subscriber (compared in constant time). */
export function tokenMatches(secret: string, subscriber: LinkSubject, token: string): boolean {
  const expected = Buffer.from(subscriberToken(secret, subscriber));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const base = (origin: string) => origin.replace(/\/+$/, '');

/** The double opt-in link of the confirmation email. */
export function confirmUrl(origin: string, token: string): string {
  return `${base(origin)}/newsletters/confirm?token=${encodeURIComponent(token)}`;
}

/** The page where a subscriber chooses lists or leaves them all. */
export function preferencesUrl(origin: string, token: string): string {
  return `${base(origin)}/newsletters/preferences?token=${encodeURIComponent(token)}`;
}

/**
 * The one-click unsubscribe address of a list's emails (also the `List-Unsubscribe` target):
 * GET shows a page with one button, POST (the button, or a mail client's RFC 8058
 * `List-Unsubscribe=One-Click`) unsubscribes. Without a list it leaves every list.
 */
export function unsubscribeUrl(origin: string, token: string, listId?: number): string {
  const list = listId === undefined ? '' : `&list=${listId}`;
  return `${base(origin)}/newsletters/unsubscribe?token=${encodeURIComponent(token)}${list}`;
}

/** The RFC 2369 / RFC 8058 headers for one email of a list to one subscriber. */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
