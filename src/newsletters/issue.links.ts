import type { RecipientLinks } from './delivery.sender.js';
import { listUnsubscribeHeaders, preferencesUrl, subscriberToken, unsubscribeUrl } from './subscriber.links.js';

/**
 * Each recipient's own links in an issue of one list: the one-click unsubscribe from that list
 * (also the `List-Unsubscribe` header, RFC 8058) and the preferences page, absolute on the site's
 * public address.
 */
export function recipientLinks(opts: {
  origin: string;
  listId: number;
  secret: string;
}): (recipient: { subscriberId: number; linkKey: string }) => RecipientLinks {
  return (recipient) => {
    const token = subscriberToken(opts.secret, { id: recipient.subscriberId, link_key: recipient.linkKey });
    const unsubscribe = unsubscribeUrl(opts.origin, token, opts.listId);
    return { unsubscribe, preferences: preferencesUrl(opts.origin, token), headers: listUnsubscribeHeaders(unsubscribe) };
  };
}
