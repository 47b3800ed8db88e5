import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError, invalid } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import { saveSettings } from '../settings/settings.service.js';
import { createSession } from './session.service.js';
import { createUser } from './user.service.js';
import type { UserRow } from './user.table.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A new setup secret: 32 random bytes, URL-safe. */
export const newSetupToken = () => randomBytes(32).toString('base64url');

/** True while the install has no admin account (active or not): the setup page is open. */
export async function needsSetup(db: Executor): Promise<boolean> {
  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return !admin;
}

/**
 * At start: with no admin yet, keeps the hash of `token` as the only valid setup link (a link
 * printed by an earlier start stops working) and returns true; with an admin, removes any
 * leftover link and returns false.
 */
export async function prepareSetup(db: Kysely<Database>, token: string, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('setup_tokens').execute();
    if (!(await needsSetup(trx))) return false;
    await trx
      .insertInto('setup_tokens')
      .values({ token_hash: sha256(token), created_at: now.toISOString() })
      .execute();
    return true;
  });
}

/** Whether this is the setup link's secret (and the install still has no admin). */
export async function setupTokenValid(db: Executor, token: string): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const row = await db.selectFrom('setup_tokens').select('token_hash').where('token_hash', '=', sha256(token)).executeTakeFirst();
  return row !== undefined && (await needsSetup(db));
}

export const refusedLink = () =>
  new AppError('setup_link', 'This setup link is missing, not right or has expired. Use the link the server printed when it last started.');

export interface SetupInput {
  token: string;
  siteName: string;
  name: string;
  email: string;
  password: string;
  confirm: string;
}

/**
 * Creates the first admin, names the site, spends the setup link and starts the admin's session,
 * in one transaction. A second attempt (or one racing this one) finds the link gone: 403.
 */
export async function completeSetup(db: Kysely<Database>, input: SetupInput): Promise<{ user: UserRow; session: string }> {
  const siteName = input.siteName.trim();
  if (!siteName || siteName.length > 100) throw invalid('The site name has 1 to 100 characters.', 'siteName');
  if (input.password !== input.confirm) throw invalid('The two passwords are not the same.', 'confirm');
  return db.transaction().execute(async (trx) => {
    // Deleting the row claims the link: a concurrent attempt waits for this one and then finds nothing.
    const spent = await trx.deleteFrom('setup_tokens').where('token_hash', '=', sha256(input.token)).executeTakeFirst();
    if (Number(spent.numDeletedRows) !== 1 || !(await needsSetup(trx))) throw refusedLink();
    await trx.deleteFrom('setup_tokens').execute();
    const user = await createUser(trx, { email: input.email, name: input.name, role: 'admin', password: input.password });
    await recordEvent(trx, 'user.changed', user.id, { by: user.name, setup: true, role: user.role });
    await saveSettings(trx, { siteName });
    const session = await createSession(trx, user);
    return { user, session: session.token };
  });
}
