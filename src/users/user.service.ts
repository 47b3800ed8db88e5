import { randomBytes } from 'node:crypto';
import type * as Argon2 from '@node-rs/argon2';
import { ensurePerson } from '../authors/person.service.js';
import { AppError, conflict, invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { lazy } from '../lazy.js';
import { ROLES, type Role, type UserRow } from './user.table.js';

const argon2 = lazy<typeof Argon2>('@node-rs/argon2');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1000;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A readable random password: 20 characters from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export const hashPassword = (password: string) => argon2().hash(password, { algorithm: 2 });

// Used when the email is unknown so that a wrong email costs as much time as a wrong password.
let dummyHash: string | undefined;

/** The email as stored (trimmed, lower case), or a 422 naming the field. */
export function checkEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw invalid('Enter a valid email address.', field);
  return email;
}

export function checkName(value: string, field = 'name'): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (!name || name.length > 80) throw invalid('Enter a name of 1 to 80 characters.', field);
  return name;
}

export function checkNewPassword(password: string, field = 'password'): string {
  if (password.length < MIN_PASSWORD) throw invalid(`The password must have at least ${MIN_PASSWORD} characters.`, field);
  if (password.length > MAX_PASSWORD) throw invalid(`The password may have at most ${MAX_PASSWORD} characters.`, field);
  return password;
}

/** A checked new password (and its confirmation), hashed. */
export async function newPasswordHash(password: string, confirm: string): Promise<string> {
  checkNewPassword(password);
  if (confirm !== password) throw invalid('The two new passwords are not the same.', 'confirm');
  return hashPassword(password);
}

/** Refuses an email another account already has (409). */
export async function ensureEmailFree(trx: Executor, email: string, exceptUserId?: number): Promise<void> {
  let query = trx.selectFrom('users').select('id').where('email', '=', email);
  if (exceptUserId !== undefined) query = query.where('id', '!=', exceptUserId);
  if (await query.executeTakeFirst()) throw conflict('A user with this email already exists.', 'email');
}

/** Whether the password matches the stored argon2id hash; a damaged hash counts as no. */
export async function passwordMatches(hash: string, password: string): Promise<boolean> {
  return argon2()
    .verify(hash, password)
    .catch(() => false);
}

export async function createUser(trx: Executor, input: { email: string; name: string; role: string; password: string }): Promise<UserRow> {
  const email = checkEmail(input.email);
  const name = input.name.trim();
  if (!name || name.length > 80) throw invalid('Enter a name of 1 to 80 characters.', 'name');
  if (!isRole(input.role)) throw invalid(`The role must be one of: ${ROLES.join(', ')}.`, 'role');
  if (input.password.length < MIN_PASSWORD) throw invalid(`The password must have at least ${MIN_PASSWORD} characters.`, 'password');
  await ensureEmailFree(trx, email);
  // Writers and editors write under their own byline.
  const person = input.role === 'moderator' ? null : await ensurePerson(trx, { name });
  return trx
    .insertInto('users')
    .values({
      email,
      name,
      role: input.role,
      password_hash: await hashPassword(input.password),
      person_id: person?.id ?? null,
      active: 1,
      created_at: new Date().toISOString(),
      last_login_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The active user with this email and password, or an error that does not say which was wrong. */
export async function authenticate(db: Executor, email: string, password: string): Promise<UserRow> {
  const user = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  dummyHash ??= await hashPassword(generatePassword());
  const ok = await passwordMatches(user?.password_hash ?? dummyHash, password);
  if (!user || !ok) throw new AppError('bad_credentials', 'The email or password is not right.');
  if (!user.active) throw new AppError('inactive', 'This account has been deactivated. Ask an administrator.');
  return user;
}

export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
