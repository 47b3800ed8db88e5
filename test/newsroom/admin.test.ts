import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, loginAs, mergeCookies, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { FORM, getPage, postForm, postUpload } from './newsroom.helpers.js';

describe.each(DIALECTS)('sections, tags, authors, staff and settings on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession & { userId: number };
  let editor: StaffSession;
  let writer: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics', tags: ['City Hall', 'Budget'], authors: ['Ana Ruiz'], slug: 'tagged-one' });
    await makeArticle(h.t.db, { section: 'Politics', tags: ['Cityhall'], slug: 'tagged-two' });
    [admin, editor, writer] = [
      await loginAs(h.app, h.t.db, 'admin'),
      await loginAs(h.app, h.t.db, 'editor'),
      await loginAs(h.app, h.t.db, 'writer'),
    ];
  });
  afterAll(() => h.close());

  it('lets admins add and order sections, refusing reserved and taken addresses', async () => {
    expect((await getPage(h.app, editor, '/admin/sections')).statusCode).toBe(403);
    const added = await postForm(h.app, admin, '/admin/sections', {
      name: 'Climate',
      slug: '',
      description: 'Heat, water, weather.',
      position: '0',
    });
    expect(added.statusCode).toBe(303);
    const climate = await h.t.db.selectFrom('sections').selectAll().where('slug', '=', 'climate').executeTakeFirstOrThrow();
    expect(climate).toMatchObject({ name: 'Climate', description: 'Heat, water, weather.', position: 0 });
    const home = await h.app.inject('/');
    expect(home.body.indexOf('href="/climate"')).toBeLessThan(home.body.indexOf('href="/politics"'));
    const reserved = await postForm(h.app, admin, '/admin/sections', {
      name: 'Admin things',
      slug: 'admin',
      description: '',
      position: '3',
    });
    expect(reserved.statusCode).toBe(422);
    expect(reserved.body).toContain('value="Admin things"');
    const taken = await postForm(h.app, admin, `/admin/sections/${climate.id}`, {
      name: 'Climate',
      slug: 'politics',
      description: '',
      position: '0',
    });
    expect(taken.statusCode).toBe(409);
    expect(
      (
        await postForm(h.app, admin, `/admin/sections/${climate.id}`, {
          name: 'Climate & Energy',
          slug: 'climate',
          description: 'x',
          position: '5',
        })
      ).statusCode,
    ).toBe(303);
    expect((await h.t.db.selectFrom('sections').select('name').where('id', '=', climate.id).executeTakeFirstOrThrow()).name).toBe(
      'Climate & Energy',
    );
  });

  it('renames and merges tags', async () => {
    expect((await getPage(h.app, writer, '/admin/tags')).statusCode).toBe(403);
    const tag = (slug: string) => h.t.db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
    const budget = await tag('budget');
    expect((await postForm(h.app, editor, `/admin/tags/${budget?.id}`, { name: 'City Budget' })).statusCode).toBe(303);
    expect(await tag('city-budget')).toMatchObject({ name: 'City Budget' });
    expect((await postForm(h.app, editor, `/admin/tags/${budget?.id}`, { name: 'City Hall' })).statusCode).toBe(409);
    const from = await tag('cityhall');
    const into = await tag('city-hall');
    expect((await postForm(h.app, editor, `/admin/tags/${from?.id}/merge`, { target: String(into?.id) })).statusCode).toBe(303);
    expect(await tag('cityhall')).toBeUndefined();
    const page = await h.app.inject('/tag/city-hall');
    expect(page.body).toContain('tagged-one');
    expect(page.body).toContain('tagged-two');
  });

  it('merges a tag into one named as typed, refuses an unknown name, and lists each tag name once', async () => {
    const ids: number[] = [];
    for (const name of ['Harbour Works', 'Harbor Works', 'Tide Tables']) {
      ids.push(
        (
          await h.t.db
            .insertInto('tags')
            .values({ name, slug: name.toLowerCase().replace(' ', '-') })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    }
    const unknown = await postForm(h.app, editor, `/admin/tags/${ids[1]}/merge`, { target: 'No Such Tag' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('There is no tag named “No Such Tag”');
    expect(unknown.body).toContain('value="No Such Tag"');
    expect((await postForm(h.app, editor, `/admin/tags/${ids[1]}/merge`, { target: ' harbour works ' })).statusCode).toBe(303);
    const left = await h.t.db.selectFrom('tags').select('id').where('id', 'in', ids).execute();
    expect(left.map((t) => t.id).sort()).toEqual([ids[0], ids[2]].sort());
    const tags = await h.t.db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const page = (await getPage(h.app, editor, '/admin/tags')).body;
    // One list of names for every row's merge field: the page grows with the tags, not their square.
    expect(page.match(/<datalist id="tag-names">/g)).toHaveLength(1);
    expect(page.match(/<option /g)).toHaveLength(Number(tags.n));
  });

  it('edits author profiles with a photo', async () => {
    const ana = await h.t.db.selectFrom('people').selectAll().where('slug', '=', 'ana-ruiz').executeTakeFirstOrThrow();
    expect(
      (await postForm(h.app, editor, `/admin/people/${ana.id}`, { name: 'Ana Ruiz', bio: 'Covers City Hall since 2019.' })).statusCode,
    ).toBe(303);
    const photo = await postUpload(
      h.app,
      editor,
      `/admin/people/${ana.id}/photo`,
      { alt: 'Photo of Ana Ruiz' },
      { name: 'ana.jpg', type: 'image/jpeg', data: await makeImage({ width: 400, height: 400 }) },
    );
    expect(photo.statusCode, photo.body.slice(0, 200)).toBe(303);
    const after = await h.t.db.selectFrom('people').selectAll().where('id', '=', ana.id).executeTakeFirstOrThrow();
    expect(after.bio).toBe('Covers City Hall since 2019.');
    expect(after.photo_media_id).not.toBeNull();
    const authorPage = (await h.app.inject('/author/ana-ruiz')).body;
    expect(authorPage).toContain('Covers City Hall since 2019.');
    expect(authorPage).toMatch(/class="author-photo"[\s\S]*alt="Ana Ruiz"/);
    const bad = await postUpload(
      h.app,
      editor,
      `/admin/people/${ana.id}/photo`,
      {},
      { name: 'x.jpg', type: 'image/jpeg', data: Buffer.from('nope') },
    );
    expect(bad.statusCode).toBe(422);
  });

  it('invites staff with a generated password, changes roles and deactivates accounts', async () => {
    expect((await getPage(h.app, editor, '/admin/users')).statusCode).toBe(403);
    const invite = await postForm(h.app, admin, '/admin/users', { name: 'Nia Okafor', email: 'nia@example.com', role: 'writer' });
    expect(invite.statusCode).toBe(200);
    const password = /<code class="password">([^<]+)<\/code>/.exec(invite.body)?.[1] ?? '';
    expect(password).toHaveLength(20);
    // The new colleague logs in with it.
    const login = await h.app.inject('/admin/login');
    const cookie = mergeCookies('', login.headers['set-cookie']);
    const res = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ email: 'nia@example.com', password, _csrf: csrfFrom(login.body) }).toString(),
    });
    expect(res.statusCode).toBe(303);
    const dup = await postForm(h.app, admin, '/admin/users', { name: 'Nia Again', email: 'nia@example.com', role: 'writer' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('value="Nia Again"');

    const nia = await h.t.db.selectFrom('users').selectAll().where('email', '=', 'nia@example.com').executeTakeFirstOrThrow();
    expect((await postForm(h.app, admin, `/admin/users/${nia.id}/role`, { role: 'editor' })).statusCode).toBe(303);
    expect((await postForm(h.app, admin, `/admin/users/${nia.id}/deactivate`)).statusCode).toBe(303);
    const after = await h.t.db.selectFrom('users').selectAll().where('id', '=', nia.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ role: 'editor', active: 0 });
    expect(after.person_id).not.toBeNull();
    const again = await h.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ email: 'nia@example.com', password, _csrf: csrfFrom(login.body) }).toString(),
    });
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('deactivated');
    // The byline person stays.
    expect(
      await h.t.db
        .selectFrom('people')
        .select('id')
        .where('id', '=', after.person_id ?? -1)
        .executeTakeFirst(),
    ).toBeDefined();
    expect((await postForm(h.app, admin, `/admin/users/${admin.userId}/deactivate`)).statusCode).toBe(403);
  });

  it('saves site settings, keeping what was typed when a value is wrong', async () => {
    expect((await getPage(h.app, editor, '/admin/settings')).statusCode).toBe(403);
    const page = await getPage(h.app, admin, '/admin/settings');
    expect(page.body).toContain('href="/admin/comments/settings"');
    const fields = {
      siteName: 'Harbor Ledger',
      siteDescription: 'News.',
      siteUrl: '',
      locale: 'en-GB',
      timeZone: 'Mars/Olympus',
      wordsPerMinute: '240',
    };
    const bad = await postForm(h.app, admin, '/admin/settings', fields);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="Mars/Olympus"');
    expect(bad.body).toContain('value="Harbor Ledger"');
    expect((await postForm(h.app, admin, '/admin/settings', { ...fields, timeZone: 'Europe/London' })).statusCode).toBe(303);
    const home = await h.app.inject('/');
    expect(home.body).toContain('Harbor Ledger');
    const logo = await postUpload(
      h.app,
      admin,
      '/admin/settings/logo',
      {},
      { name: 'logo.png', type: 'image/png', data: await makeImage({ width: 300, height: 80, format: 'png' }) },
    );
    expect(logo.statusCode).toBe(303);
    h.app.gazette.invalidateSettings();
    expect((await h.app.gazette.settings()).logo).toMatchObject({ mediaId: expect.any(Number), width: 300, height: 80 });
    const logoUrl = (await h.app.gazette.settings()).logo?.url ?? '';
    expect((await h.app.inject('/')).body).toContain(`src="${logoUrl}"`);
  });
});
