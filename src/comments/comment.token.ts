import { createHmac, timingSafeEqual } from 'node:crypto';

/** A form's timing stamp is honoured for a day; older pages are asked to confirm. */
const STAMP_MAX_AGE_MS = 86_400_000;

const mac = (secret: string, at: number) => createHmac('sha256', secret).update(`form-stamp|${at}`).digest('base64url').slice(0, 22);

/** A signed "this form was handed out at" stamp: `ms.signature`. */
export function signStamp(secret: string, at = Date.now()): string {
  return `${at}.${mac(secret, at)}`;
}

/** How long ago a valid stamp was signed, in milliseconds; null when missing, forged, from the future or stale. */
export function stampAge(secret: string, stamp: unknown, now = Date.now()): number | null {
  if (typeof stamp !== 'string' || stamp.length > 64) return null;
  const m = /^(\d{10,16})\.([\w-]{22})$/.exec(stamp);
  if (!m) return null;
  const at = Number(m[1]);
  const expected = Buffer.from(mac(secret, at));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const age = now - at;
  return age < -5000 || age > STAMP_MAX_AGE_MS ? null : Math.max(age, 0);
}
