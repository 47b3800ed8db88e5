import { findPersonById } from '../authors/person.service.js';
import { AppError, invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { updatePerson } from '../newsroom/structure.service.js';
import { endOtherSessions, endUserSessions } from './session.service.js';
import { checkEmail, checkName, ensureEmailFree, findUserById, newPasswordHash, passwordMatches } from './user.service.js';
import type { Actor, UserRow } from './user.table.js';

/** The account of the person acting; API tokens have none. */
export async function accountOf(db: Executor, actor: Actor): Promise<UserRow> {
  const user = actor.userId === null ? undefined : await findUserById(db, actor.userId);
  if (!user) throw new AppError('no_account', 'Only a logged-in staff member has an account page; an API token has none.');
  return user;
}

/** `field` names the form's field, as each form on the account page has its own. */
async function requireCurrentPassword(user: UserRow, given: string, purpose: string, field: string): Promise<void> {
  if (!given) throw invalid(`Enter your current password to ${purpose}.`, field);
  if (!(await passwordMatches(user.password_hash, given))) throw invalid('Your current password is not right.', field);
}

/**
 * The byline follows the account's name only while it is plainly the account's own: it still
 * carries the old account name (an editor has not given it another) and no other account writes
 * under it. Its address (slug) stays, as for any author rename.
 */
async function renameByline(trx: Executor, user: UserRow, name: string): Promise<boolean> {
  if (user.person_id === null) return false;
  const person = await findPersonById(trx, user.person_id);
  if (!person || person.name !== user.name) return false;
  const shared = await trx
    .selectFrom('users')
    .select('id')
    .where('person_id', '=', person.id)
    .where('id', '!=', user.id)
    .executeTakeFirst();
  if (shared) return false;
  await updatePerson(trx, person.id, { name, bio: person.bio });
  return true;
}

/** Changes the name and/or email of the acting account; an email change needs the current password. */
export async function updateProfile(
  trx: Executor,
  input: { actor: Actor; name: string; email: string; currentPassword: string },
): Promise<{ changed: string[] }> {
  const user = await accountOf(trx, input.actor);
  const name = checkName(input.name);
  const email = checkEmail(input.email);
  const changed: string[] = [];
  if (email !== user.email) {
    await requireCurrentPassword(user, input.currentPassword, 'change your email', 'current_password');
    await ensureEmailFree(trx, email, user.id);
    changed.push('email');
  }
  let bylineRenamed = false;
  if (name !== user.name) {
    bylineRenamed = await renameByline(trx, user, name);
    changed.push('name');
  }
  if (!changed.length) return { changed };
  await trx.updateTable('users').set({ name, email }).where('id', '=', user.id).execute();
  await recordEvent(trx, 'user.changed', user.id, { by: input.actor.name, changed, ...(bylineRenamed ? { byline: true } : {}) });
  return { changed };
}

/** Changes the acting account's password: every other session of the account ends; this one and its API tokens stay. */
export async function changePassword(
  trx: Executor,
  input: { actor: Actor; currentPassword: string; password: string; confirm: string },
): Promise<void> {
  const user = await accountOf(trx, input.actor);
  await requireCurrentPassword(user, input.currentPassword, 'change your password', 'pw-current');
  const passwordHash = await newPasswordHash(input.password, input.confirm);
  await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
  await endOtherSessions(trx, user.id, input.actor.sessionId);
  await recordEvent(trx, 'user.changed', user.id, { by: input.actor.name, changed: ['password'], sessions: 'others ended' });
}

/** "Log out everywhere": ends every session of the acting account, this one included. */
export async function endEverySession(trx: Executor, actor: Actor): Promise<void> {
  const user = await accountOf(trx, actor);
  await endUserSessions(trx, user.id);
  await recordEvent(trx, 'user.changed', user.id, { by: actor.name, sessions: 'all ended' });
}
