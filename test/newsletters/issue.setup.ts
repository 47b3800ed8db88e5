import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { SubscriberStatus } from '../../src/newsletters/newsletter.table.js';
import type { SinkMessage } from '../helpers/smtp.js';

/** The secret the test databases' config uses (test/helpers/db.ts): the links in emails are signed with it. */
export const TEST_SECRET = 'test-secret-0123456789abcdef';
export const SITE = 'https://news.example.test';

export async function listId(db: Kysely<Database>, slug: string): Promise<number> {
  const row = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

/** Subscribers of a list, inserted as the sign-up would leave them (confirmed unless told otherwise). */
export async function addSubscribers(
  db: Kysely<Database>,
  slug: string,
  emails: string[],
  status: SubscriberStatus = 'confirmed',
): Promise<number[]> {
  const list = await listId(db, slug);
  const now = new Date().toISOString();
  const ids: number[] = [];
  for (const email of emails) {
    const existing = await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
    const id =
      existing?.id ??
      (
        await db
          .insertInto('subscribers')
          .values({
            email,
            status,
            link_key: randomBytes(16).toString('hex'),
            created_at: now,
            updated_at: now,
            confirmed_at: status === 'confirmed' ? now : null,
            unsubscribed_at: null,
            bounced_at: null,
            expires_at: status === 'pending' ? new Date(Date.now() + 7 * 86400_000).toISOString() : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await db
      .insertInto('subscriptions')
      .values({ subscriber_id: id, list_id: list, created_at: now })
      .onConflict((oc) => oc.columns(['subscriber_id', 'list_id']).doNothing())
      .execute();
    ids.push(id);
  }
  return ids;
}

/** The site's public address, so links in emails are absolute https URLs. */
export async function setSiteUrl(db: Kysely<Database>, url = SITE): Promise<void> {
  const value = JSON.stringify(url);
  await db
    .insertInto('settings')
    .values({ key: 'siteUrl', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}@example.test`);

/** A header's value as it was sent (unfolded); mailparser turns List-* headers into objects. */
export function header(m: SinkMessage, name: string): string {
  const line = m.headerLines.find((h) => h.key === name)?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}
