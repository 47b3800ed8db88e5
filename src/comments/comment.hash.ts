import { createHmac } from 'node:crypto';

/** Keyed hash of a client address: comparable (rate limits, bans) but not reversible without the site secret. */
export function hashIp(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`ip|${ip}`).digest('hex').slice(0, 40);
}

/** Keyed hash of an email address, for bans and rate-limit keys that must outlive an erasure. */
export function hashEmail(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`email|${email.trim().toLowerCase()}`).digest('hex').slice(0, 40);
}

/** The short fingerprint moderators see in place of an address. */
export const fingerprint = (ipHash: string | null) => (ipHash ? ipHash.slice(0, 10) : '—');
