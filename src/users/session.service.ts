import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../events.js';
import type { Actor, UserRow } from './user.table.js';

export const SESSION_COOKIE = 'gz_session';
export const SESSION_DAYS = 14;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Starts a new session (a fresh id at every login, so a planted cookie is useless) and returns the cookie value. */
export async function createSession(trx: Executor, user: UserRow, now = new Date()): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await trx
    .insertInto('sessions')
    .values({ id: sha256(token), user_id: user.id, created_at: now.toISOString(), expires_at: expires.toISOString() })
    .execute();
  await trx.updateTable('users').set({ last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
  // Expired sessions of anyone are dropped here, so the table does not grow forever.
  await trx.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  return { token, expires };
}

/** The actor behind a session cookie, if the session is live and the account active. */
export async function sessionActor(db: Executor, token: string, now = new Date()): Promise<Actor | undefined> {
  const id = sha256(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.expires_at', 'users.id', 'users.name', 'users.role', 'users.person_id', 'users.active'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString() || !row.active) return undefined;
  return { kind: 'session', userId: row.id, name: row.name, role: row.role, personId: row.person_id, sessionId: row.session_id };
}

export async function endSession(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

export async function endUserSessions(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Ends every session of a user but the one given (the session id is the stored hash, as in Actor.sessionId). */
export async function endOtherSessions(db: Executor, userId: number, keepSessionId: string | undefined): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  await query.execute();
}
