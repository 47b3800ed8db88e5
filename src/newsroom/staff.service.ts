import { ensurePerson } from '../authors/person.service.js';
import { AppError, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { endUserSessions } from '../users/session.service.js';
import { createUser, generatePassword, isRole } from '../users/user.service.js';
import { type Actor, ROLES } from '../users/user.table.js';

/** Adds a staff account with a generated password, returned once to be passed on safely. */
export async function inviteUser(trx: Executor, input: { actor: Actor; email: string; name: string; role: string }) {
  const password = generatePassword();
  const user = await createUser(trx, { email: input.email, name: input.name, role: input.role, password });
  await recordEvent(trx, 'user.changed', user.id, { by: input.actor.name, invited: true, role: user.role });
  return { id: user.id, email: user.email, password };
}

function notSelf(actor: Actor, id: number, what: string) {
  if (actor.userId === id) throw new AppError('forbidden', 403, `You cannot ${what} your own account: ask another administrator.`);
}

export async function changeRole(trx: Executor, input: { actor: Actor; id: number; role: string }): Promise<void> {
  if (!isRole(input.role)) throw new AppError('invalid', 422, `The role must be one of: ${ROLES.join(', ')}.`, 'role');
  notSelf(input.actor, input.id, 'change the role of');
  const user = await trx.selectFrom('users').select(['id', 'name', 'person_id']).where('id', '=', input.id).executeTakeFirst();
  if (!user) throw notFound('No such user.');
  // Writers and editors need a byline.
  const person = input.role !== 'moderator' && user.person_id === null ? await ensurePerson(trx, { name: user.name }) : undefined;
  await trx
    .updateTable('users')
    .set({ role: input.role, ...(person ? { person_id: person.id } : {}) })
    .where('id', '=', input.id)
    .execute();
  await endUserSessions(trx, input.id);
  await recordEvent(trx, 'user.changed', input.id, { by: input.actor.name, role: input.role });
}

/** Deactivated users cannot log in and their sessions end; their bylines stay. */
export async function setActive(trx: Executor, input: { actor: Actor; id: number; active: boolean }): Promise<void> {
  notSelf(input.actor, input.id, 'deactivate');
  const result = await trx
    .updateTable('users')
    .set({ active: input.active ? 1 : 0 })
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notFound('No such user.');
  if (!input.active) await endUserSessions(trx, input.id);
  await recordEvent(trx, 'user.changed', input.id, { by: input.actor.name, active: input.active });
}

export async function listStaff(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'active', 'last_login_at'])
    .orderBy('active', 'desc')
    .orderBy('name')
    .execute();
}
