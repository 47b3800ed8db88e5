import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/users/token.service.js';
import { findUserById } from '../../src/users/user.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken, makeUser, PASSWORD } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { FORM, getPage, postForm } from '../newsroom/newsroom.helpers.js';
import { bearer, logIn, sessionFor, stillIn, userEvents } from './users.helpers.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe.each(DIALECTS)('the account page on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(() => h.close());

  const personOf = (id: number | null) =>
    h.t.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', id ?? -1)
      .executeTakeFirstOrThrow();

  it('is open to every role, linked from the header, and refused to tokens and anonymous visitors', async () => {
    for (const role of ['moderator', 'writer'] as const) {
      const user = await makeUser(h.t.db, role);
      const s = await sessionFor(h.app, h.t.db, user.id);
      const page = await getPage(h.app, s, '/admin/account');
      expect(page.statusCode, role).toBe(200);
      expect(page.body).toContain(`value="${user.email}"`);
      expect(page.body).toContain('Log out everywhere');
      expect((await getPage(h.app, s, '/admin')).body).toContain('href="/admin/account"');
    }
    const anonymous = await h.app.inject('/admin/account');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/admin/login?next=%2Fadmin%2Faccount');
    const token = await bearer(h.app, await makeToken(h.t.db, 'editor'), '/admin/account');
    expect(token.statusCode).toBe(400);
  });

  it('changes the name (and the byline that still carries it) and, with the current password, the email', async () => {
    const user = await makeUser(h.t.db, 'writer');
    const other = await makeUser(h.t.db, 'editor');
    const s = await sessionFor(h.app, h.t.db, user.id);
    const before = await personOf(user.person_id);

    const renamed = await postForm(h.app, s, '/admin/account', { name: '  Wren   Adler ', email: user.email });
    expect(renamed.statusCode).toBe(303);
    expect(renamed.headers.location).toBe('/admin/account?done=profile');
    expect((await findUserById(h.t.db, user.id))?.name).toBe('Wren Adler');
    const byline = await personOf(user.person_id);
    expect(byline).toMatchObject({ name: 'Wren Adler', slug: before.slug });
    expect((await getPage(h.app, s, '/admin/account?done=profile')).body).toContain('Your details were saved.');

    // An email change without, or with a wrong, current password: refused, the typed values kept.
    const typed = { name: 'Wren A. Adler', email: 'wren@example.org' };
    for (const [current, message] of [
      ['', 'Enter your current password to change your email.'],
      ['not my password', 'Your current password is not right.'],
    ]) {
      const res = await postForm(h.app, s, '/admin/account', { ...typed, current_password: current });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(message);
      expect(res.body).toContain('value="Wren A. Adler"');
      expect(res.body).toContain('value="wren@example.org"');
    }
    // Another account's email: 409, the typed values kept.
    const taken = await postForm(h.app, s, '/admin/account', { ...typed, email: other.email.toUpperCase(), current_password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('already exists');
    expect(taken.body).toContain('value="Wren A. Adler"');
    const badEmail = await postForm(h.app, s, '/admin/account', { ...typed, email: 'not an email', current_password: PASSWORD });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('value="not an email"');
    expect(await findUserById(h.t.db, user.id)).toMatchObject({ name: 'Wren Adler', email: user.email });

    const changed = await postForm(h.app, s, '/admin/account', { ...typed, current_password: PASSWORD });
    expect(changed.statusCode).toBe(303);
    expect(await findUserById(h.t.db, user.id)).toMatchObject({ name: 'Wren A. Adler', email: 'wren@example.org' });
    expect((await logIn(h.app, 'wren@example.org', PASSWORD)).statusCode).toBe(303);
    expect(await stillIn(h.app, s)).toBe(true);

    // A byline an editor renamed is the editor's choice: the account's name no longer drives it.
    await h.t.db
      .updateTable('people')
      .set({ name: 'W. Adler' })
      .where('id', '=', user.person_id ?? -1)
      .execute();
    expect((await postForm(h.app, s, '/admin/account', { name: 'Wren Byrne', email: 'wren@example.org' })).statusCode).toBe(303);
    expect((await personOf(user.person_id)).name).toBe('W. Adler');
    expect((await findUserById(h.t.db, user.id))?.name).toBe('Wren Byrne');

    const events = await userEvents(h.t.db, user.id);
    expect(events).toEqual([
      expect.objectContaining({ changed: ['name'], byline: true }),
      expect.objectContaining({ changed: ['email', 'name'] }),
      { by: 'Wren A. Adler', changed: ['name'] },
    ]);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('changes the password: other sessions end, this one and the API tokens stay', async () => {
    const user = await makeUser(h.t.db, 'editor');
    const here = await sessionFor(h.app, h.t.db, user.id);
    const elsewhere = await sessionFor(h.app, h.t.db, user.id);
    const { token } = await createToken(h.t.db, { name: 'Own script', role: 'editor', userId: user.id });

    const refusals: [Record<string, string>, number, string][] = [
      [{ current_password: 'wrong password!', password: NEW_PASSWORD, confirm: NEW_PASSWORD }, 422, 'Your current password is not right.'],
      [{ current_password: PASSWORD, password: NEW_PASSWORD, confirm: 'something else' }, 422, 'The two new passwords are not the same.'],
      [{ current_password: PASSWORD, password: 'short', confirm: 'short' }, 422, 'at least 10 characters'],
    ];
    for (const [fields, status, message] of refusals) {
      const res = await postForm(h.app, here, '/admin/account/password', fields);
      expect(res.statusCode, message).toBe(status);
      expect(res.body).toContain(message);
      expect(res.body).not.toContain(fields.password);
    }
    expect(await stillIn(h.app, elsewhere)).toBe(true);

    const ok = await postForm(h.app, here, '/admin/account/password', {
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/account?done=password');
    expect(await stillIn(h.app, here)).toBe(true);
    expect(await stillIn(h.app, elsewhere)).toBe(false);
    expect((await bearer(h.app, token)).statusCode).toBe(200);
    expect((await logIn(h.app, user.email, PASSWORD)).statusCode).toBe(401);
    expect((await logIn(h.app, user.email, NEW_PASSWORD)).statusCode).toBe(303);
    expect((await userEvents(h.t.db, user.id)).at(-1)).toMatchObject({ changed: ['password'] });
  });

  it('logs out everywhere, this browser included', async () => {
    const user = await makeUser(h.t.db, 'moderator');
    const here = await sessionFor(h.app, h.t.db, user.id);
    const elsewhere = await sessionFor(h.app, h.t.db, user.id);
    const bystander = await sessionFor(h.app, h.t.db, (await makeUser(h.t.db, 'moderator')).id);
    const res = await postForm(h.app, here, '/admin/account/logout-all');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login?done=everywhere');
    expect(String(res.headers['set-cookie'])).toMatch(/gz_session=;/);
    expect(await stillIn(h.app, here)).toBe(false);
    expect(await stillIn(h.app, elsewhere)).toBe(false);
    expect(await stillIn(h.app, bystander)).toBe(true);
    expect((await h.app.inject('/admin/login?done=everywhere')).body).toContain('You were logged out everywhere.');
  });

  it('refuses every account form without the CSRF token', async () => {
    const user = await makeUser(h.t.db, 'writer');
    const s = await sessionFor(h.app, h.t.db, user.id);
    for (const [url, fields] of [
      ['/admin/account', { name: 'Forged Name', email: user.email }],
      ['/admin/account/password', { current_password: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }],
      ['/admin/account/logout-all', {}],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, cookie: s.cookie },
        payload: new URLSearchParams(fields).toString(),
      });
      expect(res.statusCode, url).toBe(403);
    }
    expect(await findUserById(h.t.db, user.id)).toMatchObject({ name: user.name, password_hash: user.password_hash });
    expect(await stillIn(h.app, s)).toBe(true);
  });
});
