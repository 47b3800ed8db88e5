import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mp3Info } from '../../src/narration/mp3.frames.js';
import { createNarrator, type Narrator } from '../../src/narration/narration.setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const FORM = 'application/x-www-form-urlencoded';

describe.each(DIALECTS)('the pronunciation lexicon on %s', (dialect) => {
  let h: TestApp;
  let narrator: Narrator;
  let editor: StaffSession;
  let articleId: number;

  const post = (url: string, who: StaffSession | null, fields: Record<string, string>, csrf = true) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who?.cookie ?? '', 'content-type': FORM },
      payload: new URLSearchParams({ ...(csrf && who ? { _csrf: who.csrf } : {}), ...fields }).toString(),
    });
  const entries = (article = 0) =>
    h.t.db
      .selectFrom('lexicon_entries')
      .select(['term', 'respelling', 'case_sensitive', 'whole_word'])
      .where('article_id', '=', article)
      .orderBy('term')
      .execute();
  const queued = async (id: number) =>
    (await h.t.db.selectFrom('jobs').select('id').where('dedupe_key', '=', `narration:${id}`).where('status', '=', 'queued').execute())
      .length;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    narrator = createNarrator({ db: h.t.db, dataDir: h.t.dataDir });
    editor = await loginAs(h.app, h.t.db, 'editor');
    const a = await makeArticle(h.t.db, {
      headline: 'Grain leaves the port',
      body: 'Ships left Odesa on Thursday.\n\nThe corridor stayed open all month.\n\nInsurance costs fell again.',
    });
    articleId = a.id;
    await h.t.db.deleteFrom('jobs').execute();
  });
  afterAll(async () => {
    narrator.close();
    await h.close();
  });

  it('refuses the wrong roles and forms without a CSRF token', async () => {
    expect((await h.app.inject('/admin/narration/lexicon')).statusCode).toBe(303);
    for (const role of ['writer', 'moderator'] as const) {
      const who = await loginAs(h.app, h.t.db, role);
      expect((await h.app.inject({ url: '/admin/narration/lexicon', headers: { cookie: who.cookie } })).statusCode).toBe(403);
      expect((await post('/admin/narration/lexicon', who, { term: 'Odesa', respelling: 'oh dess a' })).statusCode).toBe(403);
      expect((await h.app.inject({ url: '/admin/narration/lexicon.txt', headers: { cookie: who.cookie } })).statusCode).toBe(403);
    }
    expect((await post('/admin/narration/lexicon', editor, { term: 'Odesa', respelling: 'oh dess a' }, false)).statusCode).toBe(403);
    expect(await entries()).toEqual([]);
    const admin = await loginAs(h.app, h.t.db, 'admin');
    expect((await h.app.inject({ url: '/admin/narration/lexicon', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
  });

  it('saves an entry, records lexicon.changed and narrates again the articles that use the word', async () => {
    const page = await h.app.inject({ url: '/admin/narration/lexicon', headers: { cookie: editor.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pronunciation lexicon');
    const res = await post('/admin/narration/lexicon', editor, { term: 'Odesa', respelling: 'oh dess a', whole_word: 'on' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/narration/lexicon?done=saved');
    expect(await entries()).toEqual([{ term: 'Odesa', respelling: 'oh dess a', case_sensitive: 0, whole_word: 1 }]);
    const events = await h.t.db.selectFrom('events').select(['type', 'payload']).where('type', '=', 'lexicon.changed').execute();
    expect(events).toHaveLength(1);
    expect(await queued(articleId)).toBe(1);
    const listed = await h.app.inject({ url: '/admin/narration/lexicon', headers: { cookie: editor.cookie } });
    expect(listed.body).toContain('oh dess a');
  });

  it('keeps what was typed when an entry is refused', async () => {
    const res = await post('/admin/narration/lexicon', editor, { term: 'Dmitriev <b>', respelling: '   ' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('respelling is empty');
    expect(res.body).toContain('value="Dmitriev &lt;b>"');
  });

  it('re-synthesises only the paragraphs that contain a changed word', async () => {
    await h.t.db.deleteFrom('lexicon_entries').execute();
    const first = await narrator.narrate(articleId);
    expect(first.status).toBe('ready');
    const paragraphs = first.synthesised;
    expect(paragraphs).toBe(6); // headline, standfirst, byline, three body paragraphs
    expect(
      await post('/admin/narration/lexicon', editor, { term: 'corridor', respelling: 'core ih door', whole_word: 'on' }),
    ).toMatchObject({
      statusCode: 303,
    });
    const second = await narrator.narrate(articleId);
    expect(second).toMatchObject({ status: 'ready', synthesised: 1, reused: 5 });
    // An article's own entry, on its own page: again only its paragraph.
    const own = await post(`/admin/articles/${articleId}/lexicon`, editor, {
      term: 'Insurance',
      respelling: 'in shore ance',
      whole_word: 'on',
    });
    expect(own.statusCode).toBe(303);
    expect(await entries(articleId)).toHaveLength(1);
    expect(await narrator.narrate(articleId)).toMatchObject({ synthesised: 1, reused: 5 });
    // Unchanged lexicon: nothing to do.
    expect(await narrator.narrate(articleId)).toMatchObject({ status: 'unchanged', synthesised: 0 });
  }, 300_000);

  it('exports and imports the lexicon as a file, all or nothing', async () => {
    const exported = await h.app.inject({ url: '/admin/narration/lexicon.txt', headers: { cookie: editor.cookie } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/plain');
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.body).toContain('corridor = core ih door');
    const before = await entries();
    await h.t.db.deleteFrom('lexicon_entries').where('article_id', '=', 0).execute();
    const bad = await post('/admin/narration/lexicon/import', editor, { file: `${exported.body}\nnot a line we can read\n` });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('line ');
    expect(bad.body).toContain('not a line we can read');
    expect(await entries()).toEqual([]);
    const good = await post('/admin/narration/lexicon/import', editor, { file: `${exported.body}US = you ess | case\n` });
    expect(good.statusCode).toBe(303);
    expect(await entries()).toEqual(
      [...before, { term: 'US', respelling: 'you ess', case_sensitive: 1, whole_word: 1 }].sort((a, b) => (a.term < b.term ? -1 : 1)),
    );
  });

  it('deletes entries, only from their own lexicon', async () => {
    const [row] = await h.t.db.selectFrom('lexicon_entries').select('id').where('article_id', '=', articleId).execute();
    expect((await post(`/admin/narration/lexicon/${row.id}/delete`, editor, {})).statusCode).toBe(404);
    expect((await post(`/admin/articles/${articleId}/lexicon/${row.id}/delete`, editor, {})).statusCode).toBe(303);
    expect(await entries(articleId)).toEqual([]);
  });

  it('previews a sentence as MP3 for staff, and refuses long text, other roles and missing CSRF', async () => {
    const writer = await loginAs(h.app, h.t.db, 'writer');
    // A writer may preview, but only with the lexicon of an article they may see.
    expect((await post('/admin/narration/preview', writer, { text: 'Hello.', article_id: String(articleId) })).statusCode).toBe(404);
    const res = await post('/admin/narration/preview', editor, { text: 'Ships left Odesa at 10.30am.', article_id: String(articleId) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    const info = mp3Info(res.rawPayload);
    expect(info.samples / info.sampleRate).toBeGreaterThan(0.5);
    const plain = await post('/admin/narration/preview', writer, { text: 'The corridor stayed open.' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('audio/mpeg');
    const long = await post('/admin/narration/preview', writer, { text: 'word '.repeat(80) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('at most 300 characters');
    expect((await post('/admin/narration/preview', writer, { text: '   ' })).statusCode).toBe(422);
    expect((await post('/admin/narration/preview', writer, { text: 'Hello.', article_id: 'abc' })).statusCode).toBe(422);
    const moderator = await loginAs(h.app, h.t.db, 'moderator');
    expect((await post('/admin/narration/preview', moderator, { text: 'Hello.' })).statusCode).toBe(403);
    expect((await post('/admin/narration/preview', writer, { text: 'Hello.' }, false)).statusCode).toBe(403);
    expect((await post('/admin/narration/preview', null, { text: 'Hello.' })).statusCode).toBe(303);
  }, 120_000);

  it('offers the preview and the article pronunciations in the editor side panel', async () => {
    const res = await h.app.inject({ url: `/admin/articles/${articleId}/edit`, headers: { cookie: editor.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('form="narration-preview-form"');
    expect(res.body).toContain(`/admin/articles/${articleId}/lexicon`);
  });
});
