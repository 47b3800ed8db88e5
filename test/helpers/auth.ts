import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { createToken } from '../../src/users/token.service.js';
import { createUser } from '../../src/users/user.service.js';
import type { Role } from '../../src/users/user.table.js';

export const PASSWORD = 'correct horse battery staple';

/** A form's hidden CSRF value from an HTML page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in page');
  return m[1];
}

/** Cookie header value from a response's set-cookie headers, merged onto existing cookies. */
export function mergeCookies(existing: string, setCookie: string | string[] | undefined): string {
  const jar = new Map(
    existing
      .split('; ')
      .filter(Boolean)
      .map((c) => c.split('=') as [string, string]),
  );
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** A logged-in staff browser: its cookies and a CSRF token for its forms. */
export interface StaffSession {
  cookie: string;
  csrf: string;
  email: string;
}

let n = 0;

export async function makeUser(db: Kysely<Database>, role: Role, name?: string) {
  n++;
  const email = `${role}${n}-${Date.now()}@example.com`;
  const user = await createUser(db, { email, name: name ?? `${role} person ${n}`, role, password: PASSWORD });
  return { ...user, email };
}

/** Creates a user of this role and logs in through the real login form. */
export async function loginAs(app: FastifyInstance, db: Kysely<Database>, role: Role): Promise<StaffSession & { userId: number }> {
  const user = await makeUser(db, role);
  const page = await app.inject('/admin/login');
  let cookie = mergeCookies('', page.headers['set-cookie']);
  const res = await app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.body) }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  cookie = mergeCookies(cookie, res.headers['set-cookie']);
  const dash = await app.inject({ url: '/admin', headers: { cookie } });
  return { cookie, csrf: csrfFrom(dash.body), email: user.email, userId: user.id };
}

export async function makeToken(db: Kysely<Database>, role: Role): Promise<string> {
  return (await createToken(db, { name: `${role} token`, role })).token;
}
