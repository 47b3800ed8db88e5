import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../events.js';

/** The UTC day of a time, `YYYY-MM-DD`. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** The UTC hour of a time, `YYYY-MM-DDTHH`. */
export const hourOf = (at: Date) => at.toISOString().slice(0, 13);

/**
 * Today's salt, shared by every instance on the database: the first to ask makes it. Salts of
 * earlier days are deleted by `forgetEarlierDays`, so a hash cannot be recomputed after its day.
 */
export async function saltOfDay(db: Executor, day: string): Promise<string> {
  await db
    .insertInto('analytics_salts')
    .values({ day, salt: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  const row = await db.selectFrom('analytics_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  return row.salt;
}

/** The day change: every salt and visitor hash of an earlier day is deleted. */
export async function forgetEarlierDays(db: Executor, today: string): Promise<void> {
  await db.deleteFrom('analytics_salts').where('day', '<', today).execute();
  await db.deleteFrom('analytics_visitors').where('day', '<', today).execute();
}

/** The visitor of a day, as Plausible counts them: sha256 of the day's salt, the address, the user agent and the site. */
export function visitorHash(salt: string, ip: string, userAgent: string, site: string): string {
  return createHash('sha256').update(`${salt}\n${ip}\n${userAgent}\n${site}`).digest('base64url').slice(0, 22);
}
