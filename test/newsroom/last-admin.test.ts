import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changeRole } from '../../src/newsroom/staff.service.js';
import { findUserById } from '../../src/users/user.service.js';
import type { Actor } from '../../src/users/user.table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken, makeUser } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { bearer, sessionFor } from '../users/users.helpers.js';
import { FORM, postForm } from './newsroom.helpers.js';

describe.each(DIALECTS)('the last active administrator on %s', (dialect) => {
  let h: TestApp | undefined;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  // How many administrators there are is the point: each case starts with none active.
  beforeEach(async () => {
    await h?.t.db.updateTable('users').set({ active: 0 }).where('role', '=', 'admin').execute();
  });
  afterAll(() => h?.close());

  /** A staff form posted with an admin API token that belongs to no account (as `gazette token create` makes). */
  const asToken = (app: TestApp['app'], token: string, url: string, fields: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, accept: 'text/html', authorization: `Bearer ${token}` },
      payload: new URLSearchParams(fields).toString(),
    });

  it('cannot be demoted or deactivated, with a clear message on the staff page; can once another admin exists', async () => {
    const t = h as TestApp;
    const chief = await makeUser(t.t.db, 'admin');
    const token = await makeToken(t.t.db, 'admin');
    for (const [url, fields] of [
      [`/admin/users/${chief.id}/role`, { role: 'editor' }],
      [`/admin/users/${chief.id}/deactivate`, {}],
    ] as const) {
      const res = await asToken(t.app, token, url, fields);
      expect(res.statusCode, url).toBe(409);
      expect(res.body).toContain('last active administrator');
      // The staff page, not a bare error page.
      expect(res.body).toContain('Invite a colleague');
    }
    expect(await findUserById(t.t.db, chief.id)).toMatchObject({ role: 'admin', active: 1 });

    // A deactivated admin does not count.
    const dormant = await makeUser(t.t.db, 'admin');
    await t.t.db.updateTable('users').set({ active: 0 }).where('id', '=', dormant.id).execute();
    expect((await asToken(t.app, token, `/admin/users/${chief.id}/role`, { role: 'editor' })).statusCode).toBe(409);

    const deputy = await makeUser(t.t.db, 'admin');
    const demoted = await asToken(t.app, token, `/admin/users/${chief.id}/role`, { role: 'editor' });
    expect(demoted.statusCode).toBe(303);
    expect(await findUserById(t.t.db, chief.id)).toMatchObject({ role: 'editor' });
    // Now the deputy is the last one.
    expect((await asToken(t.app, token, `/admin/users/${deputy.id}/deactivate`)).statusCode).toBe(409);
    expect((await asToken(t.app, token, `/admin/users/${chief.id}/role`, { role: 'admin' })).statusCode).toBe(303);
    expect((await asToken(t.app, token, `/admin/users/${deputy.id}/deactivate`)).statusCode).toBe(303);
    expect(await findUserById(t.t.db, deputy.id)).toMatchObject({ active: 0 });
  });

  it('two administrators demoting each other at the same moment: one of them stays an administrator', async () => {
    const t = h as TestApp;
    const [a, b] = [await makeUser(t.t.db, 'admin'), await makeUser(t.t.db, 'admin')];
    const actor = (u: typeof a): Actor => ({ kind: 'session', userId: u.id, name: u.name, role: 'admin', personId: u.person_id });
    const results = await Promise.allSettled([
      t.t.db.transaction().execute((trx) => changeRole(trx, { actor: actor(a), id: b.id, role: 'writer' })),
      t.t.db.transaction().execute((trx) => changeRole(trx, { actor: actor(b), id: a.id, role: 'writer' })),
    ]);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'last_admin', status: 409 });
    const admins = await t.t.db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
    expect(admins).toHaveLength(1);
  });

  it('an administrator who is demoted loses the API tokens they created', async () => {
    const t = h as TestApp;
    const [a, b] = [await makeUser(t.t.db, 'admin'), await makeUser(t.t.db, 'admin')];
    const sb = await sessionFor(t.app, t.t.db, b.id);
    const created = await postForm(t.app, sb, '/admin/tokens', { name: 'Publishing bot', role: 'editor' });
    const secret = /<code class="token">(gz_[\w-]+)<\/code>/.exec(created.body)?.[1] ?? '';
    expect((await bearer(t.app, secret)).statusCode).toBe(200);
    const sa = await sessionFor(t.app, t.t.db, a.id);
    expect((await postForm(t.app, sa, `/admin/users/${b.id}/role`, { role: 'editor' })).statusCode).toBe(303);
    expect((await bearer(t.app, secret)).statusCode).toBe(401);
  });
});
