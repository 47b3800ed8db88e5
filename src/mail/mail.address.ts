import { AppError } from '../errors.js';

/** The longest address SMTP carries (RFC 5321: 254 characters in a path). */
export const MAX_EMAIL = 254;

// Deliberately plain: a local part and a dotted domain, no spaces, quotes, angle brackets or
// control characters. Whether the address exists is what the confirmation email finds out.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** A reader's address trimmed and lowercased, or a 422 naming the `email` field. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw new AppError('invalid', 'Enter your email address.', 'email');
  if (email.length > MAX_EMAIL || !EMAIL.test(email) || email.includes('..')) {
    throw new AppError('invalid', 'Enter an email address like name@example.org.', 'email');
  }
  return email;
}

/** A sender such as `news@example.org` or `The Gazette <news@example.org>`; else a 422 on `field`. */
export function checkFrom(raw: string, field = 'from'): string {
  const from = raw.trim();
  if (!from) return '';
  const m = /^(?:([^<>"\r\n]{1,100}?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(from);
  const address = m?.[2] ?? m?.[3] ?? '';
  if (!m || from.length > 300 || !EMAIL.test(address)) {
    throw new AppError('invalid', 'Give the sender as news@example.org or “The Gazette <news@example.org>”.', field);
  }
  return from;
}
