import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, tokenActor } from '../../src/users/token.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeUser, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { bearer, sessionFor, stillIn, userEvents } from '../users/users.helpers.js';
import { FORM, getPage, postForm } from './newsroom.helpers.js';

const secretIn = (html: string) => /<code class="token">(gz_[\w-]+)<\/code>/.exec(html)?.[1] ?? '';

describe.each(DIALECTS)('API tokens in the newsroom on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession & { userId: number };
  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
  });
  afterAll(() => h.close());

  it('creates a token shown once, which works as a Bearer token until it is revoked', async () => {
    const created = await postForm(h.app, admin, '/admin/tokens', { name: 'Wire desk', role: 'moderator' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toContain('no-store');
    const secret = secretIn(created.body);
    expect(secret).toMatch(/^gz_[\w-]{43}$/);
    const stored = await h.t.db.selectFrom('api_tokens').selectAll().where('name', '=', 'Wire desk').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ role: 'moderator', user_id: admin.userId, last_used_at: null, revoked_at: null });
    expect(stored.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));

    expect((await bearer(h.app, secret)).statusCode).toBe(200);
    // A moderator token is still a moderator token.
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/articles', headers: { authorization: `Bearer ${secret}` }, payload: {} }))
        .statusCode,
    ).toBe(403);

    const list = await getPage(h.app, admin, '/admin/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    const row = list.body.slice(list.body.indexOf('<td>Wire desk</td>'));
    expect(row).toMatch(/^<td>Wire desk<\/td><td>moderator<\/td><td>admin person \d+<\/td><td><time[^>]*>[^<]+<\/time><\/td><td><time/);
    const used = await h.t.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    const revoked = await postForm(h.app, admin, `/admin/tokens/${stored.id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/admin/tokens?done=revoked');
    const refused = await bearer(h.app, secret);
    expect(refused.statusCode).toBe(401);
    expect((await getPage(h.app, admin, '/admin/tokens')).body).toContain('Revoked');
    const twice = await postForm(h.app, admin, `/admin/tokens/${stored.id}/revoke`);
    expect(twice.statusCode).toBe(404);
    expect(twice.body).toContain('already revoked');
    expect((await postForm(h.app, admin, '/admin/tokens/999999/revoke')).statusCode).toBe(404);

    const events = await userEvents(h.t.db, admin.userId);
    expect(events.filter((e) => e.token_id === stored.id).map((e) => e.token)).toEqual(['created', 'revoked']);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('refuses a bad name or role with the typed values kept', async () => {
    const noName = await postForm(h.app, admin, '/admin/tokens', { name: '  ', role: 'editor' });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('name of 1 to 80 characters');
    expect(noName.body).toMatch(/<option value="editor" selected/);
    const badRole = await postForm(h.app, admin, '/admin/tokens', { name: 'Robot', role: 'owner' });
    expect(badRole.statusCode).toBe(422);
    expect(badRole.body).toContain('value="Robot"');
    expect(secretIn(badRole.body)).toBe('');
  });

  it('is for administrators only, and every change needs the CSRF token', async () => {
    const editor = await loginAs(h.app, h.t.db, 'editor');
    expect((await getPage(h.app, editor, '/admin/tokens')).statusCode).toBe(403);
    expect((await postForm(h.app, editor, '/admin/tokens', { name: 'Sneaky', role: 'admin' })).statusCode).toBe(403);
    const { id } = await createToken(h.t.db, { name: 'Keep me', role: 'writer' });
    expect((await postForm(h.app, editor, `/admin/tokens/${id}/revoke`)).statusCode).toBe(403);
    for (const [url, fields] of [
      ['/admin/tokens', { name: 'Forged', role: 'admin' }],
      [`/admin/tokens/${id}/revoke`, {}],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, cookie: admin.cookie },
        payload: new URLSearchParams(fields).toString(),
      });
      expect(res.statusCode, url).toBe(403);
    }
    const names = (await h.t.db.selectFrom('api_tokens').select('name').execute()).map((r) => r.name);
    expect(names).not.toContain('Sneaky');
    expect(names).not.toContain('Forged');
    expect(await h.t.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      revoked_at: null,
    });
  });

  it('a deactivated account: its sessions and its API tokens stop at once, and work again when reactivated', async () => {
    const colleague = await makeUser(h.t.db, 'editor');
    const session = await sessionFor(h.app, h.t.db, colleague.id);
    const { token } = await createToken(h.t.db, { name: 'Colleague script', role: 'editor', userId: colleague.id });
    expect((await bearer(h.app, token)).statusCode).toBe(200);

    expect((await postForm(h.app, admin, `/admin/users/${colleague.id}/deactivate`)).statusCode).toBe(303);
    expect(await stillIn(h.app, session)).toBe(false);
    expect((await bearer(h.app, token)).statusCode).toBe(401);
    expect(await tokenActor(h.t.db, token)).toBeUndefined();

    expect((await postForm(h.app, admin, `/admin/users/${colleague.id}/activate`)).statusCode).toBe(303);
    expect((await bearer(h.app, token)).statusCode).toBe(200);
    // Sessions ended by the deactivation stay ended.
    expect(await stillIn(h.app, session)).toBe(false);
  });
});
