import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDue } from '../../src/articles/article.service.js';
import { fieldsOf, findArticleRow, writeArticle } from '../../src/articles/article.workflow.js';
import { storeArticle, valuesOf } from '../../src/articles/article.writer.js';
import type { ArticleFile } from '../../src/publish/frontmatter.js';
import { publishArticle } from '../../src/publish/publish.service.js';
import type { Actor } from '../../src/users/user.table.js';
import { makeUser } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

const DUE = new Date('2026-12-01T08:00:00.000Z');
const LATER = new Date('2026-12-01T09:00:00.000Z');
const BEFORE = new Date('2026-11-30T08:00:00.000Z');

const file = (slug: string, body: string, published = DUE): ArticleFile => ({
  headline: 'Harbour works begin',
  standfirst: 'The council starts on the quay.',
  section: 'City',
  authors: ['Ana Ruiz'],
  published,
  slug,
  tags: ['Harbour'],
  hero: undefined,
  heroAlt: '',
  heroCaption: '',
  heroCredit: '',
  commentsOpen: true,
  body,
});

describe.each(DIALECTS)('one writer for every way an article is written on %s', (dialect) => {
  let t: TestDb;
  let editor: Actor;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const user = await makeUser(t.db, 'editor', 'Eda Editor');
    editor = { kind: 'session', userId: user.id, name: 'Eda Editor', role: 'editor', personId: null };
  });
  afterAll(() => t.close());

  const revisions = (id: number) =>
    t.db
      .selectFrom('article_revisions')
      .select(['number', 'actor_name', 'user_id', 'note', 'snapshot'])
      .where('article_id', '=', id)
      .orderBy('number')
      .execute();
  const events = (id: number) =>
    t.db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('subject_id', '=', id)
      .where('type', 'like', 'article.%')
      .orderBy('id')
      .execute();
  const narrationJobs = async (id: number) =>
    (await t.db.selectFrom('jobs').select('id').where('dedupe_key', '=', `narration:${id}`).execute()).length;
  /** The last revision's snapshot, without the slug (each path writes its own article). */
  const lastState = async (id: number) => {
    const rows = await revisions(id);
    const { slug: _slug, ...rest } = JSON.parse(rows[rows.length - 1].snapshot);
    return rest;
  };
  const schedule = async (slug: string) => (await publishArticle(t.db, { article: file(slug, 'The quay closes.'), now: BEFORE })).id;

  it('publishing a scheduled article: the editor, `gazette publish` and the scheduler write the same revision and event', async () => {
    const [byEditor, byFile, bySchedule] = [await schedule('by-editor'), await schedule('by-file'), await schedule('by-schedule')];
    for (const id of [byEditor, byFile, bySchedule]) expect((await events(id)).map((e) => e.type)).toEqual(['article.scheduled']);

    await t.db.transaction().execute((trx) => writeArticle(trx, { actor: editor, id: byEditor, action: 'publish', now: LATER }));
    await publishArticle(t.db, { article: file('by-file', 'The quay closes.'), now: LATER });
    expect(await publishDue(t.db, LATER)).toEqual([bySchedule]);

    const states = await Promise.all([byEditor, byFile, bySchedule].map(lastState));
    expect(states[0]).toMatchObject({ status: 'published', publishedAt: DUE.toISOString(), authors: [{ name: 'Ana Ruiz' }] });
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    for (const id of [byEditor, byFile, bySchedule]) {
      expect((await events(id)).map((e) => e.type)).toEqual(['article.scheduled', 'article.published']);
      expect(await narrationJobs(id)).toBe(1);
      expect((await revisions(id)).map((r) => r.number)).toEqual([1, 2]);
    }
    // Each names who did it, as before.
    expect((await revisions(byEditor))[1]).toMatchObject({ actor_name: 'Eda Editor', user_id: editor.userId, note: 'Publish now' });
    expect((await revisions(byFile))[1]).toMatchObject({ actor_name: 'gazette publish', user_id: null, note: 'Published' });
    expect((await revisions(bySchedule))[1]).toMatchObject({ actor_name: 'Scheduler', user_id: null, note: 'Published on schedule' });
    expect(JSON.parse((await events(bySchedule))[1].payload)).toEqual({ slug: 'by-schedule', scheduled: true });
    expect(JSON.parse((await events(byFile))[1].payload)).toEqual({ slug: 'by-file', status: 'published' });
    expect(JSON.parse((await events(byEditor))[1].payload)).toMatchObject({ from: 'scheduled', to: 'published', userId: editor.userId });
  });

  it('editing a live article: the editor and `gazette publish` both record an update with the same state', async () => {
    const a = (await publishArticle(t.db, { article: file('edit-by-editor', 'First.', BEFORE), now: BEFORE })).id;
    const b = (await publishArticle(t.db, { article: file('edit-by-file', 'First.', BEFORE), now: BEFORE })).id;
    await t.db.transaction().execute(async (trx) => {
      const fields = { ...(await fieldsOf(trx, (await findArticleRow(trx, a))!)), bodyMd: 'Second.' };
      await writeArticle(trx, { actor: editor, id: a, fields, now: LATER });
    });
    await publishArticle(t.db, { article: file('edit-by-file', 'Second.', BEFORE), now: LATER });
    expect(await lastState(b)).toEqual(await lastState(a));
    expect(await lastState(a)).toMatchObject({ bodyMd: 'Second.', status: 'published' });
    for (const id of [a, b]) expect((await events(id)).map((e) => e.type)).toEqual(['article.published', 'article.updated']);
    const updated = await t.db.selectFrom('articles').select('updated_at').where('id', 'in', [a, b]).execute();
    expect(updated.map((r) => r.updated_at)).toEqual([LATER.toISOString(), LATER.toISOString()]);
  });

  it('the scheduler publishes an article once, recording its revision, and skips one taken back meanwhile', async () => {
    const id = await schedule('taken-back');
    await t.db.transaction().execute((trx) => writeArticle(trx, { actor: editor, id, action: 'return', now: BEFORE }));
    expect(await publishDue(t.db, LATER)).toEqual([]);
    expect((await revisions(id)).map((r) => r.note)).toEqual(['Scheduled', 'Back to draft']);
    const due = await schedule('due-once');
    expect(await publishDue(t.db, LATER)).toEqual([due]);
    expect(await publishDue(t.db, LATER)).toEqual([]);
    expect((await revisions(due)).map((r) => [r.actor_name, r.note])).toEqual([
      ['gazette publish', 'Scheduled'],
      ['Scheduler', 'Published on schedule'],
    ]);
  });

  it('an import keeps the given id, slug and dates, names the importer, and later articles get new ids', async () => {
    const section = await t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
    const values = { ...valuesOf((await findArticleRow(t.db, await schedule('template')))!), sectionId: section.id };
    const stored = await t.db.transaction().execute((trx) =>
      storeArticle(
        trx,
        {
          values: { ...values, slug: 'from-the-archive', status: 'published', publishedAt: '2019-05-01T10:00:00.000Z' },
          now: new Date('2019-05-02T10:00:00.000Z'),
          kept: { id: 900, createdAt: '2019-04-30T10:00:00.000Z' },
        },
        { kind: 'import' },
      ),
    );
    expect(stored).toMatchObject({ id: 900, slug: 'from-the-archive', created: true, event: 'article.published' });
    const row = await t.db.selectFrom('articles').selectAll().where('id', '=', 900).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ created_at: '2019-04-30T10:00:00.000Z', modified_at: '2019-05-02T10:00:00.000Z', created_by: null });
    expect((await revisions(900)).map((r) => [r.actor_name, r.note])).toEqual([['Import', 'Imported']]);
    expect(JSON.parse((await events(900))[0].payload)).toEqual({ slug: 'from-the-archive', status: 'published', imported: true });
    expect(await schedule('after-the-import')).toBeGreaterThan(900);
  });
});
