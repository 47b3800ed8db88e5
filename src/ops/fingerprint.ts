import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConfigError } from '../config.js';

/** The table this module owns (created by migration 2026_12_06_1100). */
interface FingerprintTables {
  secret_fingerprint: { name: string; fingerprint: string; updated_at: string };
}

/** What the HMAC signs: fixed, so the same secret always gives the same fingerprint. */
const LABEL = 'gazette instance secret fingerprint v1';

/** An HMAC-SHA-256 of a fixed label keyed by the secret: shows two secrets differ without revealing either. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update(LABEL).digest('hex');
}

export const SECRET_MISMATCH =
  'GAZETTE_SECRET differs from the one the other instances of this database use: sessions, links and ' +
  'hashes would not agree between them. Give every instance the same GAZETTE_SECRET, or, to replace the ' +
  'secret for all of them, start once with GAZETTE_SECRET_CHANGED=yes (every instance must then use the new one).';

/**
 * At start: stores the secret's fingerprint when the database has none, and refuses a different
 * secret unless `accept` (GAZETTE_SECRET_CHANGED=yes), which stores the new one instead. Returns
 * what happened.
 */
export async function checkSecret(
  database: Kysely<any>,
  secret: string,
  opts: { accept?: boolean; now?: Date } = {},
): Promise<'stored' | 'same' | 'replaced'> {
  const db = database as Kysely<FingerprintTables>;
  const fingerprint = secretFingerprint(secret);
  const updated_at = (opts.now ?? new Date()).toISOString();
  const row = await db.selectFrom('secret_fingerprint').select('fingerprint').where('name', '=', 'secret').executeTakeFirst();
  if (!row) {
    await db
      .insertInto('secret_fingerprint')
      .values({ name: 'secret', fingerprint, updated_at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    // Two first starts at once: whichever stored first decides.
    return checkSecretAgain(db, fingerprint);
  }
  if (same(row.fingerprint, fingerprint)) return 'same';
  if (!opts.accept) throw new ConfigError(SECRET_MISMATCH);
  await db.updateTable('secret_fingerprint').set({ fingerprint, updated_at }).where('name', '=', 'secret').execute();
  return 'replaced';
}

async function checkSecretAgain(db: Kysely<FingerprintTables>, fingerprint: string): Promise<'stored'> {
  const row = await db.selectFrom('secret_fingerprint').select('fingerprint').where('name', '=', 'secret').executeTakeFirstOrThrow();
  if (!same(row.fingerprint, fingerprint)) throw new ConfigError(SECRET_MISMATCH);
  return 'stored';
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
