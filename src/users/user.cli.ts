import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { loadSettings } from '../settings/settings.service.js';
import { findUserIdByEmail, issueReset, RESET_TTL_MS, resetLink } from './reset.service.js';
import { createToken } from './token.service.js';
import { createUser, generatePassword } from './user.service.js';

const USER_USAGE = `Usage: gazette user add --email E --name N --role admin|editor|writer|moderator [--password P]
       gazette user reset-password EMAIL`;

/** `gazette user add --email E --name N --role R [--password P]` and `gazette user reset-password EMAIL` */
export async function userCommand(db: Kysely<Database>, args: string[], opts: { port?: number } = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'reset-password') return resetPasswordCommand(db, rest, opts.port ?? 3000);
  if (sub !== 'add') {
    console.error(USER_USAGE);
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.email || !values.name || !values.role) {
    console.error('gazette user add: --email, --name and --role are required');
    return 1;
  }
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();
  try {
    const user = await db
      .transaction()
      .execute((trx) =>
        createUser(trx, { email: values.email as string, name: values.name as string, role: values.role as string, password }),
      );
    console.log(JSON.stringify({ id: user.id, email: user.email, role: user.role, ...(generated ? { password } : {}) }));
    if (generated) console.error('A password was generated: it is shown once, above. Pass it to the person safely.');
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`gazette user add: ${error.field ? `${error.field}: ` : ''}${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** Prints a one-time reset link on standard output (for the person to open within the hour). */
async function resetPasswordCommand(db: Kysely<Database>, args: string[], port: number): Promise<number> {
  const [email, ...extra] = args;
  if (!email || extra.length) {
    console.error('Usage: gazette user reset-password EMAIL');
    return 1;
  }
  const userId = await findUserIdByEmail(db, email);
  if (userId === undefined) {
    console.error(`gazette user reset-password: there is no account with the email ${email}`);
    return 1;
  }
  try {
    const { token } = await db.transaction().execute((trx) => issueReset(trx, { userId, by: null }));
    const { siteUrl } = await loadSettings(db);
    console.log(resetLink(token, siteUrl, `http://127.0.0.1:${port}`));
    console.error(`The link works once, for ${RESET_TTL_MS / 60_000} minutes. Pass it on safely; a newer link replaces it.`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`gazette user reset-password: ${email}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** `gazette token create --name N --role R` prints the token once. */
export async function tokenCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    console.error('Usage: gazette token create --name N --role admin|editor|writer|moderator');
    return 1;
  }
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, role: { type: 'string' } } });
  try {
    const { token } = await db.transaction().execute((trx) => createToken(trx, { name: values.name ?? '', role: values.role ?? '' }));
    console.log(token);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`gazette token create: ${error.field ? `${error.field}: ` : ''}${error.message}`);
      return 1;
    }
    throw error;
  }
}
