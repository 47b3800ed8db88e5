import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { getPage, postForm } from '../newsroom/newsroom.helpers.js';

describe.each(DIALECTS)('/admin/redirects on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession & { userId: number };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
    await makeArticle(h.t.db, { slug: 'live-story', section: 'Politics' });
  });
  afterAll(() => h.close());

  const rowFrom = (from: string) => h.t.db.selectFrom('redirects').selectAll().where('from_path', '=', from).executeTakeFirst();
  const reader = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });

  it('an admin adds a redirect (normalised), edits its target and deletes it', async () => {
    const added = await postForm(h.app, admin, '/admin/redirects', { from: ' /old/Café-story/ ', to: '/politics/live-story' });
    expect(added.statusCode, added.body).toBe(303);
    expect(added.headers.location).toBe('/admin/redirects?done=added');
    const row = await rowFrom('/old/Caf%C3%A9-story');
    expect(row?.to_path).toBe('/politics/live-story');
    expect(row?.created_by).toBe(admin.userId);
    const moved = await reader('/old/Caf%C3%A9-story');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/politics/live-story');

    const list = await getPage(h.app, admin, '/admin/redirects?q=caf');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('/old/Caf%C3%A9-story');
    expect((await getPage(h.app, admin, '/admin/redirects?q=nothing-like-this')).body).toContain('No redirect matches.');

    const edit = await getPage(h.app, admin, `/admin/redirects/${row!.id}`);
    expect(edit.statusCode).toBe(200);
    const saved = await postForm(h.app, admin, `/admin/redirects/${row!.id}`, { to: '/politics?from=old' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect((await rowFrom('/old/Caf%C3%A9-story'))?.to_path).toBe('/politics?from=old');
    expect((await reader('/old/Caf%C3%A9-story?x=1')).headers.location).toBe('/politics?from=old');

    const deleted = await postForm(h.app, admin, `/admin/redirects/${row!.id}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect(await rowFrom('/old/Caf%C3%A9-story')).toBeUndefined();
    expect((await reader('/old/Caf%C3%A9-story')).statusCode).toBe(404);
    const events = await h.t.db.selectFrom('events').select('type').where('type', '=', 'redirect.changed').execute();
    expect(events.length).toBe(3);
  });

  it('a loop is refused with 422, the typed values kept', async () => {
    expect((await postForm(h.app, admin, '/admin/redirects', { from: '/loop-a', to: '/loop-b' })).statusCode).toBe(303);
    const res = await postForm(h.app, admin, '/admin/redirects', { from: '/loop-b', to: '/loop-a' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('loop');
    expect(res.body).toContain('value="/loop-b"');
    expect(res.body).toContain('value="/loop-a"');
    expect(await rowFrom('/loop-b')).toBeUndefined();

    const self = await postForm(h.app, admin, '/admin/redirects', { from: '/same', to: '/same/' });
    expect(self.statusCode).toBe(422);
    expect(self.body).toContain('cannot redirect to itself');

    // X→A where A→B exists is stored as X→B: chains never form, so neither can a loop through them.
    const a = await rowFrom('/loop-a');
    await postForm(h.app, admin, '/admin/redirects', { from: '/loop-c', to: '/loop-a' });
    expect((await rowFrom('/loop-c'))?.to_path).toBe('/loop-b');
    // Editing a redirect to point at itself is refused on its own page, the typed value kept.
    const edit = await postForm(h.app, admin, `/admin/redirects/${a!.id}`, { to: '/loop-a/' });
    expect(edit.statusCode).toBe(422);
    expect(edit.body).toContain('value="/loop-a/"');
    expect((await rowFrom('/loop-a'))?.to_path).toBe('/loop-b');
    // B moves on: every path that led to B follows; then pointing the new target back at one of them is a loop.
    await postForm(h.app, admin, '/admin/redirects', { from: '/loop-b', to: '/elsewhere' });
    expect((await rowFrom('/loop-a'))?.to_path).toBe('/elsewhere');
    const back = await postForm(h.app, admin, '/admin/redirects', { from: '/elsewhere', to: '/loop-c' });
    expect(back.statusCode).toBe(422);
    expect(back.body).toContain('loop');
  });

  it('invalid paths are refused with 422 and the typed values kept; a duplicate with 409', async () => {
    for (const [from, to] of [
      ['https://evil.example/x', '/politics'],
      ['//evil.example', '/politics'],
      ['/fine', '//evil.example'],
      ['/fine', '/\\evil.example'],
      ['/fine', '/.//evil.example'],
      ['/fine', 'javascript:alert(1)'],
      ['no-slash', '/politics'],
      ['/with?query=1', '/politics'],
      [`/${'x'.repeat(600)}`, '/politics'],
      ['', '/politics'],
      ['/admin/articles', '/politics'],
      ['/politics/live-story', '/politics'],
    ]) {
      const res = await postForm(h.app, admin, '/admin/redirects', { from, to });
      expect(res.statusCode, `${from} → ${to}`).toBe(422);
      expect(res.body).toContain('role="alert"');
      if (from && from.length < 100) expect(res.body).toContain(`value="${from.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`);
    }
    expect(await h.t.db.selectFrom('redirects').select('id').where('from_path', '=', '/fine').executeTakeFirst()).toBeUndefined();

    await postForm(h.app, admin, '/admin/redirects', { from: '/dup', to: '/politics' });
    const dup = await postForm(h.app, admin, '/admin/redirects', { from: '/dup', to: '/sport' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('value="/sport"');
  });

  it('refuses editors, writers and a missing CSRF token', async () => {
    const editor = await loginAs(h.app, h.t.db, 'editor');
    const byEditor = await postForm(h.app, editor, '/admin/redirects', { from: '/e', to: '/politics' });
    expect(byEditor.statusCode).toBe(403);
    const writer = await loginAs(h.app, h.t.db, 'writer');
    expect((await postForm(h.app, writer, '/admin/redirects', { from: '/w', to: '/politics' })).statusCode).toBe(403);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/admin/redirects',
      headers: { cookie: admin.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'from=%2Fc&to=%2Fpolitics',
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await rowFrom('/e')).toBeUndefined();
    expect(await rowFrom('/w')).toBeUndefined();
    expect(await rowFrom('/c')).toBeUndefined();
    const anonymous = await postForm(h.app, null, '/admin/redirects', { from: '/n', to: '/politics' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
  });

  it('pages the list and 404s an unknown redirect', async () => {
    await h.t.db
      .insertInto('redirects')
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          from_path: `/bulk/${i}`,
          to_path: '/politics',
          article_id: null,
          created_by: null,
          created_at: new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString(),
          updated_at: new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString(),
        })),
      )
      .execute();
    const first = await getPage(h.app, admin, '/admin/redirects?q=/bulk/');
    expect(first.body).toContain('/bulk/54');
    expect(first.body).toContain('rel="next"');
    const second = await getPage(h.app, admin, '/admin/redirects?q=/bulk/&page=2');
    expect(second.body).toContain('/bulk/0<');
    expect(second.body).not.toContain('/bulk/54');
    expect(second.body).not.toContain('rel="next"');
    expect((await getPage(h.app, admin, '/admin/redirects/999999')).statusCode).toBe(404);
    expect((await postForm(h.app, admin, '/admin/redirects/999999/delete')).statusCode).toBe(404);
  });
});
