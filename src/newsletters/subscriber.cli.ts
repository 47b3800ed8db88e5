import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { eraseSubscriber, exportSubscriber } from './subscriber.privacy.js';

const USAGE = 'Usage: gazette subscriber export EMAIL | gazette subscriber erase EMAIL';

/**
 * `gazette subscriber export EMAIL` prints what is kept about a newsletter subscriber (JSON);
 * `gazette subscriber erase EMAIL` deletes the address and its lists (right to erasure).
 */
export async function subscriberCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [sub, email, ...extra] = args;
  if (!['export', 'erase'].includes(sub ?? '') || !email || extra.length) {
    console.error(USAGE);
    return 1;
  }
  try {
    if (sub === 'export') {
      console.log(JSON.stringify(await exportSubscriber(db, email), null, 2));
    } else {
      const id = await db.transaction().execute((trx) => eraseSubscriber(trx, email));
      console.log(JSON.stringify({ email: email.trim().toLowerCase(), erased: true, id }));
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) {
      console.error(`gazette subscriber ${sub}: no subscriber with the email ${email}`);
      return 1;
    }
    throw error;
  }
}
