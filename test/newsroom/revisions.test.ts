import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffText } from '../../src/revisions/revision.diff.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { articleForm, getPage, idFromLocation, postForm } from './newsroom.helpers.js';

describe('the revision diff', () => {
  it('marks removed and added words, keeping the rest', () => {
    const parts = diffText('The council voted 7-2 on Tuesday.\nSecond line.', 'The council voted 6-3 on Tuesday.\nSecond line.');
    expect(parts).toEqual([
      { kind: 'same', text: 'The council voted ' },
      { kind: 'removed', text: '7-2' },
      { kind: 'added', text: '6-3' },
      { kind: 'same', text: ' on Tuesday.\nSecond line.' },
    ]);
    expect(diffText('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
    expect(diffText('', 'new')).toEqual([{ kind: 'added', text: 'new' }]);
  });

  it('stays fast on a long article', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `Paragraph ${i} has some words in it.`).join('\n');
    const changed = long.replace('Paragraph 10 has', 'Paragraph ten has').replace('Paragraph 2900 has', 'Paragraph 2900 had');
    const started = performance.now();
    const parts = diffText(long, changed);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parts.filter((p) => p.kind !== 'same').map((p) => p.text)).toEqual(['10', 'ten', 'has', 'had']);
  });
});

describe.each(DIALECTS)('revisions and corrections on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let writer: StaffSession;
  let section: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics' });
    section = String((await h.t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id);
    editor = await loginAs(h.app, h.t.db, 'editor');
    writer = await loginAs(h.app, h.t.db, 'writer');
  });
  afterAll(() => h.close());

  const save = async (id: number | null, fields: Record<string, string>) => {
    const res = await postForm(
      h.app,
      editor,
      id ? `/admin/articles/${id}` : '/admin/articles',
      articleForm({ section, slug: 'budget-vote', ...fields }),
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    return idFromLocation(res.headers.location);
  };

  it('keeps a revision at every save, diffs any two and restores one as a new revision', async () => {
    const id = await save(null, { headline: 'Budget vote', body: 'The council voted 7-2 on the budget.' });
    await save(id, { headline: 'Budget vote', body: 'The council voted 7-2 on the budget.', action: 'publish' });
    await save(id, { headline: 'Budget vote passes', body: 'The council voted 6-3 on the budget.' });
    const revisions = await h.t.db.selectFrom('article_revisions').selectAll().where('article_id', '=', id).orderBy('number').execute();
    expect(revisions.map((r) => r.note)).toEqual(['Created', 'Publish now', 'Saved']);
    const third = JSON.parse(revisions[2].snapshot);
    expect(third).toMatchObject({
      headline: 'Budget vote passes',
      status: 'published',
      section: 'Politics',
      authors: [{ name: 'Ana Ruiz' }],
    });
    expect(revisions[2].actor_name).toMatch(/editor/);

    const list = await getPage(h.app, editor, `/admin/articles/${id}/revisions`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Publish now');
    const diff = await getPage(h.app, editor, `/admin/articles/${id}/revisions/diff?from=1&to=3`);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('<del>7-2</del>');
    expect(diff.body).toContain('<ins>6-3</ins>');
    expect(diff.body).toContain('<ins> passes</ins>');
    expect((await getPage(h.app, editor, `/admin/articles/${id}/revisions/diff?from=1&to=99`)).statusCode).toBe(404);

    const restored = await postForm(h.app, editor, `/admin/articles/${id}/revisions/1/restore`);
    expect(restored.statusCode).toBe(303);
    const row = await h.t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.body_md).toBe('The council voted 7-2 on the budget.');
    expect(row.status).toBe('published');
    const after = await h.t.db
      .selectFrom('article_revisions')
      .select(['number', 'note'])
      .where('article_id', '=', id)
      .orderBy('number')
      .execute();
    expect(after.map((r) => r.note)).toEqual(['Created', 'Publish now', 'Saved', 'Restored revision 1']);
    // The writer who does not own the article cannot see its history: it answers as a missing one.
    expect((await getPage(h.app, writer, `/admin/articles/${id}/revisions`)).statusCode).toBe(404);
    expect((await postForm(h.app, writer, `/admin/articles/${id}/revisions/1/restore`)).statusCode).toBe(404);
  });

  it('appends dated corrections that readers see and that set the updated time', async () => {
    const id = await save(null, {
      headline: 'Bridge reopens',
      slug: 'bridge-reopens',
      body: 'The bridge reopened on Monday.',
      action: 'publish',
    });
    const before = await h.t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(before.updated_at).toBeNull();
    expect((await postForm(h.app, writer, `/admin/articles/${id}/corrections`, { correction: 'Nope' })).statusCode).toBe(403);
    const empty = await postForm(h.app, editor, `/admin/articles/${id}/corrections`, { correction: '   ' });
    expect(empty.statusCode).toBe(422);
    const res = await postForm(h.app, editor, `/admin/articles/${id}/corrections`, {
      correction: 'An earlier version said the bridge reopened on Sunday. <b>It was Monday.</b>',
    });
    expect(res.statusCode).toBe(303);
    const after = await h.t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.updated_at).not.toBeNull();
    const page = await getPage(h.app, null, '/politics/bridge-reopens');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Correction, <time datetime="[^"]+">[^<]+<\/time>:/);
    expect(page.body).toContain('&lt;b>It was Monday.&lt;/b>');
    expect(page.body).toContain('Updated');
    const events = await h.t.db.selectFrom('events').select('type').where('subject_id', '=', id).execute();
    expect(events.map((e) => e.type)).toContain('article.corrected');
    // Only published articles take corrections.
    const draft = await save(null, { headline: 'Still a draft', slug: 'still-a-draft' });
    expect((await postForm(h.app, editor, `/admin/articles/${draft}/corrections`, { correction: 'x' })).statusCode).toBe(409);
    // The editor page lists it; there is no way to edit or remove one.
    const editPage = await getPage(h.app, editor, `/admin/articles/${id}/edit`);
    expect(editPage.body).toContain('An earlier version said the bridge reopened on Sunday.');
  });
});
