import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishDue } from '../../src/articles/article.service.js';
import { loadDemo } from '../../src/demo/demo.service.js';
import { publishFile } from '../../src/publish/publish.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { insertBareArticle, makeArticle } from '../helpers/factories.js';
import { articleForm, getPage, postForm } from '../newsroom/newsroom.helpers.js';

// The demo's drawn illustrations take most of its load time; one small picture stands in for them all.
vi.mock('../../src/demo/hero.js', async () => {
  const sharp = (await import('sharp')).default;
  const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  return { drawHero: async () => png };
});

describe.each(DIALECTS)('every write keeps a revision on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let section: string;
  const dir = mkdtempSync(join(tmpdir(), 'gazette-history-'));

  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await loginAs(h.app, h.t.db, 'editor');
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const revisions = (articleId: number) =>
    h.t.db
      .selectFrom('article_revisions')
      .select(['number', 'user_id', 'actor_name', 'note', 'snapshot', 'created_at'])
      .where('article_id', '=', articleId)
      .orderBy('number')
      .execute();
  const bodyOf = (r: { snapshot: string }) => JSON.parse(r.snapshot).bodyMd as string;

  it('gazette publish: a create and an update are two revisions by the command, which compare', async () => {
    const path = join(dir, `ferry-${dialect}.md`);
    const front = `headline: Ferry Timetable Changes\nsection: Politics\nauthors: [Ana Ruiz]\nslug: ferry-timetable-${dialect}`;
    writeFileSync(path, `---\n${front}\n---\nThe ferry leaves at seven.\n`);
    const created = await publishFile(h.t.db, { file: path, mediaRoot: join(h.t.dataDir, 'media') });
    writeFileSync(path, `---\n${front}\n---\nThe ferry leaves at eight.\n`);
    const updated = await publishFile(h.t.db, { file: path, mediaRoot: join(h.t.dataDir, 'media') });
    expect(updated.id).toBe(created.id);

    const rows = await revisions(created.id);
    expect(rows.map((r) => [r.number, r.actor_name, r.user_id, r.note])).toEqual([
      [1, 'gazette publish', null, 'Published'],
      [2, 'gazette publish', null, 'Updated'],
    ]);
    expect(rows.map(bodyOf)).toEqual(['The ferry leaves at seven.', 'The ferry leaves at eight.']);
    // The events are the ones the command always recorded.
    const events = await h.t.db
      .selectFrom('events')
      .select('type')
      .where('subject_id', '=', created.id)
      .where('type', 'like', 'article.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['article.published', 'article.updated']);

    const list = await getPage(h.app, editor, `/admin/articles/${created.id}/revisions`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<td>gazette publish</td>');
    const diff = await getPage(h.app, editor, `/admin/articles/${created.id}/revisions/diff?from=1&to=2`);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('<del>seven.</del>');
    expect(diff.body).toContain('<ins>eight.</ins>');
  });

  it('the scheduler keeps a revision when it publishes', async () => {
    const when = new Date(Date.now() + 3600_000);
    const a = await makeArticle(h.t.db, { published: when });
    expect(a.status).toBe('scheduled');
    expect((await revisions(a.id)).map((r) => r.note)).toEqual(['Scheduled']);
    expect(await publishDue(h.t.db, new Date(when.getTime() + 1000))).toContain(a.id);
    const rows = await revisions(a.id);
    expect(rows.map((r) => [r.number, r.actor_name, r.user_id, r.note])).toEqual([
      [1, 'gazette publish', null, 'Scheduled'],
      [2, 'Scheduler', null, 'Published on schedule'],
    ]);
    expect(JSON.parse(rows[1].snapshot).status).toBe('published');
    const events = await h.t.db
      .selectFrom('events')
      .select('type')
      .where('subject_id', '=', a.id)
      .where('type', 'like', 'article.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['article.scheduled', 'article.published']);
  });

  it('an article with no history keeps its earlier state at its first edit, which can be restored', async () => {
    section = String((await h.t.db.selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow()).id);
    const id = await insertBareArticle(h.t.db, {
      slug: `old-story-${dialect}`,
      headline: 'Old story',
      bodyMd: 'Written before revisions were kept.',
      modifiedAt: '2020-01-02T03:04:05.000Z',
    });
    expect(await revisions(id)).toEqual([]);
    const res = await postForm(
      h.app,
      editor,
      `/admin/articles/${id}`,
      articleForm({ section, slug: `old-story-${dialect}`, headline: 'Old story, edited', body: 'Rewritten in the newsroom.' }),
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);

    const rows = await revisions(id);
    expect(rows.map((r) => [r.number, r.actor_name, r.user_id, r.note])).toEqual([
      [1, 'Gazette', null, 'Before the first recorded edit'],
      [2, expect.stringMatching(/editor/), expect.any(Number), 'Saved'],
    ]);
    expect(JSON.parse(rows[0].snapshot)).toMatchObject({
      headline: 'Old story',
      bodyMd: 'Written before revisions were kept.',
      status: 'published',
      authors: [{ name: 'James Thompson' }],
    });
    expect(rows[0].created_at).toBe('2020-01-02T03:04:05.000Z');
    expect(bodyOf(rows[1])).toBe('Rewritten in the newsroom.');

    const list = await getPage(h.app, editor, `/admin/articles/${id}/revisions`);
    expect(list.body).toContain('Before the first recorded edit');
    expect(list.body).toContain(`action="/admin/articles/${id}/revisions/1/restore"`);
    const diff = await getPage(h.app, editor, `/admin/articles/${id}/revisions/diff?from=1&to=2`);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('<del>Written</del><ins>Rewritten</ins>');

    // Restoring brings the earlier state back as a new revision.
    expect((await postForm(h.app, editor, `/admin/articles/${id}/revisions/1/restore`)).statusCode).toBe(303);
    const row = await h.t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.headline, row.body_md, row.status]).toEqual(['Old story', 'Written before revisions were kept.', 'published']);
    const after = await revisions(id);
    expect(after.map((r) => [r.number, r.note])).toEqual([
      [1, 'Before the first recorded edit'],
      [2, 'Saved'],
      [3, 'Restored revision 1'],
    ]);
    expect(JSON.parse(after[2].snapshot)).toMatchObject({ headline: 'Old story', bodyMd: 'Written before revisions were kept.' });
  });

  it('the same through the JSON API, and an edit that changes nothing keeps only the earlier state', async () => {
    const token = await makeToken(h.t.db, 'editor');
    const patch = (id: number, payload: object) =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/v1/articles/${id}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    const id = await insertBareArticle(h.t.db, { slug: `api-story-${dialect}`, headline: 'API story', bodyMd: 'First words.' });
    const res = await patch(id, { body: 'Second words.' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await revisions(id);
    expect(rows.map((r) => [r.actor_name, r.note])).toEqual([
      ['Gazette', 'Before the first recorded edit'],
      ['editor token', 'Saved'],
    ]);
    expect(rows.map(bodyOf)).toEqual(['First words.', 'Second words.']);

    const same = await insertBareArticle(h.t.db, { slug: `same-story-${dialect}`, headline: 'Same story', bodyMd: 'Unchanged.' });
    expect((await patch(same, { headline: 'Same story' })).statusCode).toBe(200);
    expect((await revisions(same)).map((r) => r.note)).toEqual(['Before the first recorded edit']);
  });

  it('an autosave keeps the earlier state of an article with no history, but never its own', async () => {
    const autosave = (id: number | null, fields: Record<string, string>) =>
      postForm(
        h.app,
        editor,
        id ? `/admin/articles/${id}` : '/admin/articles',
        articleForm({ section, autosave: '1', ...fields }),
        'application/json',
      );
    const id = await insertBareArticle(h.t.db, {
      slug: `old-draft-${dialect}`,
      headline: 'Old draft',
      bodyMd: 'Draft words.',
      status: 'draft',
    });
    const res = await autosave(id, { slug: `old-draft-${dialect}`, headline: 'Old draft', body: 'Draft words, typed on.' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await revisions(id);
    expect(rows.map((r) => [r.note, bodyOf(r)])).toEqual([['Before the first recorded edit', 'Draft words.']]);
    expect((await h.t.db.selectFrom('articles').select('body_md').where('id', '=', id).executeTakeFirstOrThrow()).body_md).toBe(
      'Draft words, typed on.',
    );

    // A draft begun in the newsroom and only autosaved has no history to keep.
    const begun = await autosave(null, { slug: `new-draft-${dialect}`, headline: 'New draft', body: 'One.' });
    expect(begun.statusCode, begun.body).toBe(200);
    const { id: newId, version } = begun.json();
    expect((await autosave(newId, { slug: `new-draft-${dialect}`, headline: 'New draft', body: 'One, two.', version })).statusCode).toBe(
      200,
    );
    expect(await revisions(newId)).toEqual([]);
  });

  it('the demo loader keeps a revision of every demo article, by "Demo"', async () => {
    const loaded = await loadDemo(h.t.db, { mediaRoot: join(h.t.dataDir, 'media') });
    expect(loaded.length).toBeGreaterThan(10);
    for (const a of loaded) {
      const rows = await revisions(a.id);
      expect(rows.length, `article ${a.id}`).toBeGreaterThanOrEqual(1);
      expect(rows[0].actor_name).toBe('Demo');
      expect(rows[0].user_id).toBeNull();
    }
  });
});
