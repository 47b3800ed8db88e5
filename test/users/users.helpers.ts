import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { createSession } from '../../src/users/session.service.js';
import { findUserById } from '../../src/users/user.service.js';
import { csrfFrom, mergeCookies, type StaffSession } from '../helpers/auth.js';
import { FORM } from '../newsroom/newsroom.helpers.js';

/** A browser logged in as an existing user (a session made directly, so the login throttle is left alone). */
export async function sessionFor(app: FastifyInstance, db: Kysely<Database>, userId: number): Promise<StaffSession> {
  const user = await findUserById(db, userId);
  if (!user) throw new Error(`no user ${userId}`);
  const { token } = await createSession(db, user);
  const cookie = `gz_session=${token}`;
  const dash = await app.inject({ url: '/admin', headers: { cookie } });
  if (dash.statusCode !== 200) throw new Error(`session refused: ${dash.statusCode}`);
  return { cookie, csrf: csrfFrom(dash.body), email: user.email };
}

/** Whether a browser's session still opens the newsroom. */
export async function stillIn(app: FastifyInstance, s: StaffSession): Promise<boolean> {
  const res = await app.inject({ url: '/admin', headers: { cookie: s.cookie } });
  return res.statusCode === 200;
}

/** Logs in through the real form; the answer (303 on success). */
export async function logIn(app: FastifyInstance, email: string, password: string) {
  const page = await app.inject('/admin/login');
  const cookie = mergeCookies('', page.headers['set-cookie']);
  return app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { ...FORM, cookie },
    payload: new URLSearchParams({ email, password, _csrf: csrfFrom(page.body) }).toString(),
  });
}

/** A GET with an API token. */
export function bearer(app: FastifyInstance, token: string, url = '/api/v1/comments?status=pending') {
  return app.inject({ url, headers: { authorization: `Bearer ${token}` } });
}

/** The user.changed events recorded for a user, payloads parsed. */
export async function userEvents(db: Kysely<Database>, userId: number | null) {
  let q = db.selectFrom('events').select(['payload']).where('type', '=', 'user.changed');
  q = userId === null ? q.where('subject_id', 'is', null) : q.where('subject_id', '=', userId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}
