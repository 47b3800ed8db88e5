import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { articleForm, getPage, idFromLocation, postForm } from './newsroom.helpers.js';

describe.each(DIALECTS)('newsroom workflow and permissions on %s', (dialect) => {
  let h: TestApp;
  let writer: StaffSession & { userId: number };
  let writer2: StaffSession & { userId: number };
  let editor: StaffSession & { userId: number };
  let moderator: StaffSession & { userId: number };
  let section: string;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics' });
    section = String((await h.t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id);
    [writer, writer2, editor, moderator] = [
      await loginAs(h.app, h.t.db, 'writer'),
      await loginAs(h.app, h.t.db, 'writer'),
      await loginAs(h.app, h.t.db, 'editor'),
      await loginAs(h.app, h.t.db, 'moderator'),
    ];
  });
  afterAll(() => h.close());

  const create = async (s: StaffSession, fields: Record<string, string> = {}) => {
    const res = await postForm(h.app, s, '/admin/articles', articleForm({ section, ...fields }));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    return idFromLocation(res.headers.location);
  };
  const row = (id: number) => h.t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = async (id: number) =>
    (await h.t.db.selectFrom('events').select('type').where('subject_id', '=', id).orderBy('id').execute())
      .map((e) => e.type)
      .filter((t) => t.startsWith('article.'));
  const edit = async (s: StaffSession, id: number, fields: Record<string, string>) => {
    const page = await getPage(h.app, s, `/admin/articles/${id}/edit`);
    const version = /name="version" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    const published = /name="published" type="datetime-local"[^>]*value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    const r = await row(id);
    return postForm(
      h.app,
      s,
      `/admin/articles/${id}`,
      articleForm({ section, headline: r.headline, slug: r.slug, version, published, ...fields }),
    );
  };

  it('keeps anonymous visitors and moderators out of the articles', async () => {
    const id = await create(editor, { headline: 'Editor only story' });
    expect((await getPage(h.app, null, '/admin/articles')).statusCode).toBe(303);
    for (const url of ['/admin/articles', '/admin/articles/new', `/admin/articles/${id}/edit`, `/admin/articles/${id}/revisions`]) {
      expect((await getPage(h.app, moderator, url)).statusCode, url).toBe(403);
    }
    expect((await postForm(h.app, moderator, `/admin/articles/${id}`, articleForm({ section }))).statusCode).toBe(403);
    expect((await postForm(h.app, moderator, '/admin/articles', articleForm({ section }))).statusCode).toBe(403);
  });

  it('lets a writer write and submit a draft, but not publish it', async () => {
    const id = await create(writer, { headline: 'Writer files a story' });
    const created = await row(id);
    expect(created.status).toBe('draft');
    expect(created.created_by).toBe(writer.userId);
    expect(created.slug).toBe('writer-files-a-story');
    const page = await getPage(h.app, writer, `/admin/articles/${id}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Submit for review');
    expect(page.body).not.toContain('Publish now');

    expect((await edit(writer, id, { action: 'publish' })).statusCode).toBe(403);
    expect((await edit(writer, id, { action: 'schedule', published: '2030-01-01T09:00' })).statusCode).toBe(403);
    expect((await row(id)).status).toBe('draft');
    const submitted = await edit(writer, id, { action: 'submit', body: 'Edited before submitting.' });
    expect(submitted.statusCode).toBe(303);
    expect((await row(id)).status).toBe('in_review');
    expect((await getPage(h.app, null, `/politics/${created.slug}`)).statusCode).toBe(404);
    expect(await events(id)).toEqual(['article.created', 'article.submitted']);
  });

  it("keeps a writer out of other people's articles", async () => {
    const mine = await create(writer, { headline: 'Mine alone' });
    const editors = await create(editor, { headline: 'Desk story' });
    // Another's article answers as a missing one (404): not even its existence shows.
    expect((await getPage(h.app, writer2, `/admin/articles/${mine}/edit`)).statusCode).toBe(404);
    expect((await postForm(h.app, writer2, `/admin/articles/${mine}`, articleForm({ section }))).statusCode).toBe(404);
    expect((await getPage(h.app, writer, `/admin/articles/${editors}/edit`)).statusCode).toBe(404);
    const list = await getPage(h.app, writer2, '/admin/articles');
    expect(list.body).not.toContain('Mine alone');
    expect(list.body).not.toContain('Desk story');
    expect((await getPage(h.app, editor, '/admin/articles')).body).toContain('Mine alone');
  });

  it('takes an article through review, schedule, publish, unpublish and back', async () => {
    const id = await create(writer, { headline: 'Full journey story' });
    await edit(writer, id, { action: 'submit' });
    // The editor edits and schedules it.
    const scheduled = await edit(editor, id, { action: 'schedule', published: '2031-05-01T08:30', standfirst: 'Edited by the desk.' });
    expect(scheduled.statusCode, scheduled.body.slice(0, 400)).toBe(303);
    let r = await row(id);
    expect(r.status).toBe('scheduled');
    expect(r.published_at).toBe('2031-05-01T08:30:00.000Z');
    // The writer can no longer change it.
    expect((await edit(writer, id, { body: 'sneaky change' })).statusCode).toBe(403);
    expect((await getPage(h.app, null, `/politics/${r.slug}`)).statusCode).toBe(404);

    expect((await edit(editor, id, { action: 'publish' })).statusCode).toBe(303);
    r = await row(id);
    expect(r.status).toBe('published');
    expect(Date.parse(r.published_at ?? '')).toBeLessThanOrEqual(Date.now());
    const firstPublished = r.published_at;
    expect((await getPage(h.app, null, `/politics/${r.slug}`)).statusCode).toBe(200);

    expect((await edit(editor, id, { action: 'unpublish' })).statusCode).toBe(303);
    expect((await row(id)).status).toBe('unpublished');
    // Withdrawn, not missing: 410 Gone.
    expect((await getPage(h.app, null, `/politics/${r.slug}`)).statusCode).toBe(410);

    expect((await edit(editor, id, { action: 'publish' })).statusCode).toBe(303);
    r = await row(id);
    expect(r.status).toBe('published');
    expect(r.published_at).toBe(firstPublished);
    expect(r.updated_at).not.toBeNull();
    expect(await events(id)).toEqual([
      'article.created',
      'article.submitted',
      'article.scheduled',
      'article.published',
      'article.unpublished',
      'article.published',
    ]);
    // Every transition is recorded with who did it.
    const last = await h.t.db
      .selectFrom('events')
      .select('payload')
      .where('subject_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(last.payload)).toMatchObject({ from: 'unpublished', to: 'published', userId: editor.userId });
  });

  it('validates before publishing and keeps what was typed', async () => {
    const media = await h.t.db
      .insertInto('media')
      .values({
        hash: `h-${dialect}`,
        mime: 'image/jpeg',
        width: 10,
        height: 10,
        bytes: 1,
        alt: '',
        caption: '',
        credit: '',
        variants: '[]',
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = await create(editor, { headline: 'Needs an alt text' });
    const typed = 'A paragraph the editor typed & must not lose.';
    const res = await edit(editor, id, { action: 'publish', hero_media_id: String(media.id), hero_alt: '', body: typed });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Describe the hero image');
    expect(res.body).toContain('A paragraph the editor typed &amp; must not lose.');
    expect(res.body).toMatch(/id="f-hero_alt"[^>]*aria-invalid="true"/);
    expect((await row(id)).status).toBe('draft');
    const empty = await edit(editor, id, { action: 'publish', body: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Write the body before publishing.');
    const noHeadline = await edit(editor, id, { action: 'schedule', headline: '', published: '2031-01-01T00:00' });
    expect(noHeadline.statusCode).toBe(422);
    const past = await edit(editor, id, { action: 'schedule', published: '2020-01-01T00:00' });
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('The publication time has passed');
  });

  it('refuses a slug already taken, a stale version and a missing CSRF token', async () => {
    const a = await create(editor, { headline: 'First of two', slug: 'same-slug' });
    const b = await create(editor, { headline: 'Second of two' });
    const clash = await edit(editor, b, { slug: 'same-slug' });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain('already used by another article');
    expect(clash.body).toContain('value="Second of two"');
    // Derived slugs get a number instead of clashing.
    const c = await create(editor, { headline: 'First of two' });
    expect((await row(c)).slug).toBe('first-of-two');
    const d = await create(editor, { headline: 'First of two' });
    expect((await row(d)).slug).toBe('first-of-two-2');
    const stale = await postForm(
      h.app,
      editor,
      `/admin/articles/${a}`,
      articleForm({ section, slug: 'same-slug', version: '2000-01-01T00:00:00.000Z' }),
    );
    expect(stale.statusCode).toBe(409);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: `/admin/articles/${a}`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(articleForm({ section })).toString(),
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('autosaves drafts as JSON without keeping revisions, and never published articles', async () => {
    const res = await postForm(
      h.app,
      writer,
      '/admin/articles',
      articleForm({ section, headline: 'Autosaved', autosave: '1' }),
      'application/json',
    );
    expect(res.statusCode).toBe(200);
    const saved = res.json();
    expect(saved).toMatchObject({ status: 'draft', slug: 'autosaved', editUrl: `/admin/articles/${saved.id}/edit` });
    const again = await postForm(
      h.app,
      writer,
      `/admin/articles/${saved.id}`,
      articleForm({ section, headline: 'Autosaved', slug: 'autosaved', body: 'More words typed.', autosave: '1', version: saved.version }),
      'application/json',
    );
    expect(again.statusCode).toBe(200);
    expect((await row(saved.id)).body_md).toBe('More words typed.');
    const revisions = await h.t.db.selectFrom('article_revisions').select('id').where('article_id', '=', saved.id).execute();
    expect(revisions).toHaveLength(0);
    const stale = await postForm(
      h.app,
      writer,
      `/admin/articles/${saved.id}`,
      articleForm({ section, autosave: '1', version: saved.version }),
      'application/json',
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('Someone else changed this article');
  });

  it('previews Markdown with the reader renderer', async () => {
    const res = await postForm(
      h.app,
      writer,
      '/admin/articles/preview',
      { body: '# Big\n\nHello *there* <script>alert(1)</script>' },
      'application/json',
    );
    expect(res.statusCode).toBe(200);
    const json = res.json();
    expect(json.html).toContain('<h2>Big</h2>');
    expect(json.html).toContain('<em>there</em>');
    expect(json.html).not.toContain('<script');
    expect(json.words).toBe(5);
    expect((await postForm(h.app, moderator, '/admin/articles/preview', { body: 'x' }, 'application/json')).statusCode).toBe(403);
    const id = await create(writer, { headline: 'Preview me' });
    const page = await getPage(h.app, writer, `/admin/articles/${id}/preview`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Preview me</h1>');
    expect(page.body).toContain('readers do not see this page');
  });

  it('filters the article list by status, section, author and headline', async () => {
    await create(editor, { headline: 'Zebra crossing repainted', authors: 'Lena Filter' });
    const person = await h.t.db.selectFrom('people').select('id').where('name', '=', 'Lena Filter').executeTakeFirstOrThrow();
    const q = await getPage(h.app, editor, '/admin/articles?q=zebra');
    expect(q.body).toContain('Zebra crossing repainted');
    expect(q.body).not.toContain('Full journey story');
    const byAuthor = await getPage(h.app, editor, `/admin/articles?author=${person.id}`);
    expect(byAuthor.body).toContain('Zebra crossing repainted');
    expect(byAuthor.body).toContain('1 article');
    const published = await getPage(h.app, editor, `/admin/articles?status=published&section=${section}`);
    expect(published.body).toContain('Full journey story');
    expect(published.body).not.toContain('Zebra crossing repainted');
  });
});
