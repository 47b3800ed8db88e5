import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postForm } from '../newsroom/newsroom.helpers.js';

/** Tag and author names are part of an article's search text: renaming them must re-index their articles. */
describe.each(DIALECTS)('search after renaming tags, bylines and sections on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let admin: StaffSession;
  const ids: Record<string, number> = {};

  const found = async (q: string) => {
    const res = await h.app.inject(`/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().results as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
  };
  const idOf = async (table: 'tags' | 'people' | 'sections', slug: string) =>
    (await h.t.db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const accepted = async (sent: Promise<{ statusCode: number; body: string }>) => {
    const res = await sent;
    expect(res.statusCode, res.body).toBe(303);
  };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const db = h.t.db;
    ids.pier = (await makeArticle(db, { headline: 'Crowds at the new pier', tags: ['Waterfront'], authors: ['Ana Ruiz'] })).id;
    ids.ferry = (await makeArticle(db, { headline: 'Ferry timetable changes', tags: ['Waterfront'], section: 'Business' })).id;
    ids.dock = (await makeArticle(db, { headline: 'Dock workers vote', tags: ['Harbourside'], authors: ['Ana Ruiz'] })).id;
    ids.other = (await makeArticle(db, { headline: 'Library hours extended', tags: ['Culture'] })).id;
    editor = await loginAs(h.app, db, 'editor');
    admin = await loginAs(h.app, db, 'admin');
  });
  afterAll(() => h.close());

  it('finds a renamed tag by its new name only', async () => {
    expect(await found('waterfront')).toEqual([ids.pier, ids.ferry]);
    await accepted(postForm(h.app, editor, `/admin/tags/${await idOf('tags', 'waterfront')}`, { name: 'Seafront' }));
    expect(await found('seafront')).toEqual([ids.pier, ids.ferry]);
    expect(await found('waterfront')).toEqual([]);
  });

  it('finds the articles of a merged tag by the name they now carry', async () => {
    expect(await found('harbourside')).toEqual([ids.dock]);
    const target = await idOf('tags', 'seafront');
    await accepted(postForm(h.app, editor, `/admin/tags/${await idOf('tags', 'harbourside')}/merge`, { target: String(target) }));
    expect(await found('seafront')).toEqual([ids.pier, ids.ferry, ids.dock]);
    expect(await found('harbourside')).toEqual([]);
  });

  it('finds a renamed byline by its new name only', async () => {
    expect(await found('ruiz')).toEqual([ids.pier, ids.dock]);
    await accepted(postForm(h.app, editor, `/admin/people/${await idOf('people', 'ana-ruiz')}`, { name: 'Ana Castellano', bio: '' }));
    expect(await found('castellano')).toEqual([ids.pier, ids.dock]);
    expect(await found('ruiz')).toEqual([]);
  });

  it('keeps finding the articles of a renamed section (section names are not searched)', async () => {
    const before = await found('timetable');
    expect(before).toEqual([ids.ferry]);
    const id = await idOf('sections', 'business');
    await accepted(postForm(h.app, admin, `/admin/sections/${id}`, { name: 'Money', slug: 'money', description: '', position: '3' }));
    expect(await found('timetable')).toEqual(before);
    expect(await found('money')).toEqual([]);
  });
});
