import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { saveMailSettings } from '../../src/mail/mail.settings.js';
import { decode } from '../helpers/html.js';
import type { SinkMessage, SmtpSink } from '../helpers/smtp.js';

export const FORM = 'application/x-www-form-urlencoded';

/** Points the newsroom's mail settings at the test's SMTP sink. */
export async function mailTo(db: Kysely<Database>, sink: SmtpSink): Promise<void> {
  await saveMailSettings(db, { smtpUrl: sink.url, from: 'The Gazette <news@example.test>', ratePerSecond: 100 });
}

/** Posts the sign-up form as a browser would (no script). */
export function signUp(app: FastifyInstance, fields: Record<string, string | string[]>, ip = '203.0.113.7') {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return app.inject({
    method: 'POST',
    url: '/newsletters/subscribe',
    remoteAddress: ip,
    headers: { 'content-type': FORM, accept: 'text/html' },
    payload: body.toString(),
  });
}

/** The first link of an email's text part whose path starts with `path`, as a site-relative URL. */
export function linkIn(message: SinkMessage, path: string): string {
  const text = `${message.text ?? ''}\n${decode(String(message.html ?? ''))}`;
  const found = text.match(/https?:\/\/[^\s"<>]+/g)?.find((u) => new URL(u).pathname.startsWith(path));
  if (!found) throw new Error(`no ${path} link in the email`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}

/** Waits for the message sent to `to` (the n-th one to that address, from 1). */
export async function messageTo(sink: SmtpSink, to: string, nth = 1): Promise<SinkMessage> {
  for (let tries = 0; tries < 300; tries++) {
    const found = sink.messages.filter((m) => m.envelopeTo.includes(to));
    if (found.length >= nth) return found[nth - 1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message ${nth} to ${to}`);
}
