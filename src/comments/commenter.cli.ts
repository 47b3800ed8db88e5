import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { eraseCommenter } from './commenter.service.js';

/** `gazette commenter erase EMAIL`: the right to erasure, from the command line. */
export async function commenterCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [sub, email, ...extra] = args;
  if (sub !== 'erase' || !email || extra.length) {
    console.error('Usage: gazette commenter erase EMAIL');
    return 1;
  }
  const result = await eraseCommenter(db, email);
  if (!result.found) {
    console.error(`gazette commenter erase: no commenter with the email ${email}`);
    return 1;
  }
  console.log(JSON.stringify({ email: email.trim().toLowerCase(), deleted: result.deleted, anonymised: result.anonymised }));
  return 0;
}
