import { ensurePerson } from '../authors/person.service.js';
import { dialectOf } from '../db/dialect.js';
import { AppError, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { issueReset } from '../users/reset.service.js';
import { endUserSessions } from '../users/session.service.js';
import { createToken, revokeToken, revokeUserTokens } from '../users/token.service.js';
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
  if (actor.userId === id) throw new AppError('forbidden', `You cannot ${what} your own account: ask another administrator.`);
}

/**
 * Refuses to demote or deactivate the last active administrator. On PostgreSQL the active
 * administrators' rows stay locked until the transaction ends, so two administrators demoting
 * each other at the same moment cannot both succeed (SQLite runs one writer at a time).
 */
async function keepAnAdmin(trx: Executor, id: number, what: string): Promise<void> {
  let admins = trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).orderBy('id');
  if (dialectOf(trx) === 'postgres') admins = admins.forUpdate();
  const ids = (await admins.execute()).map((r) => r.id);
  if (ids.length === 1 && ids[0] === id) {
    throw new AppError(
      'last_admin',
      `This is the last active administrator: make another account an administrator before you ${what} this one.`,
    );
  }
}

export async function changeRole(trx: Executor, input: { actor: Actor; id: number; role: string }): Promise<void> {
  if (!isRole(input.role)) throw new AppError('invalid', `The role must be one of: ${ROLES.join(', ')}.`, 'role');
  notSelf(input.actor, input.id, 'change the role of');
  const user = await trx.selectFrom('users').select(['id', 'name', 'person_id', 'role']).where('id', '=', input.id).executeTakeFirst();
  if (!user) throw notFound('No such user.');
  const leavesAdmin = user.role === 'admin' && input.role !== 'admin';
  if (leavesAdmin) await keepAnAdmin(trx, input.id, 'demote');
  // Writers and editors need a byline.
  const person = input.role !== 'moderator' && user.person_id === null ? await ensurePerson(trx, { name: user.name }) : undefined;
  await trx
    .updateTable('users')
    .set({ role: input.role, ...(person ? { person_id: person.id } : {}) })
    .where('id', '=', input.id)
    .execute();
  await endUserSessions(trx, input.id);
  // The API tokens they created as an administrator go with the role.
  const revoked = leavesAdmin ? await revokeUserTokens(trx, input.id) : 0;
  await recordEvent(trx, 'user.changed', input.id, {
    by: input.actor.name,
    role: input.role,
    ...(revoked ? { tokens_revoked: revoked } : {}),
  });
}

/** Deactivated users cannot log in and their sessions end; their bylines stay. */
export async function setActive(trx: Executor, input: { actor: Actor; id: number; active: boolean }): Promise<void> {
  notSelf(input.actor, input.id, 'deactivate');
  if (!input.active) await keepAnAdmin(trx, input.id, 'deactivate');
  const result = await trx
    .updateTable('users')
    .set({ active: input.active ? 1 : 0 })
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notFound('No such user.');
  if (!input.active) await endUserSessions(trx, input.id);
  await recordEvent(trx, 'user.changed', input.id, { by: input.actor.name, active: input.active });
}

/** A one-time password-reset link for a colleague (the secret is returned once, for the answer page). */
export async function issueStaffReset(trx: Executor, input: { actor: Actor; id: number }) {
  return issueReset(trx, { userId: input.id, by: input.actor });
}

/**
 * An API token created from the newsroom belongs to the administrator who made it: it stops when
 * their account is deactivated or loses the admin role. The secret is returned once.
 */
export async function createStaffToken(trx: Executor, input: { actor: Actor; name: string; role: string }) {
  const created = await createToken(trx, { name: input.name, role: input.role, userId: input.actor.userId ?? undefined });
  await recordEvent(trx, 'user.changed', input.actor.userId, {
    by: input.actor.name,
    token: 'created',
    token_id: created.id,
    role: input.role,
  });
  return created;
}

export async function revokeStaffToken(trx: Executor, input: { actor: Actor; id: number }): Promise<void> {
  const revoked = await revokeToken(trx, input.id);
  if (!revoked) throw notFound('No such token, or it was already revoked.');
  await recordEvent(trx, 'user.changed', revoked.userId, { by: input.actor.name, token: 'revoked', token_id: input.id });
}

export async function listStaff(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'active', 'last_login_at'])
    .orderBy('active', 'desc')
    .orderBy('name')
    .execute();
}
