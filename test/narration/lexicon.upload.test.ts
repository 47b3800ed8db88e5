import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEXICON_UPLOAD_BYTES } from '../../src/narration/lexicon.routes.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const FIXTURES = new URL('../fixtures/lexicon/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

/** A multipart form body with its fields and at most one file (in the field `lexicon`). */
function multipart(fields: Record<string, string>, file?: { name: string; type?: string; data: Buffer }) {
  const boundary = `----lexicon${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="lexicon"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/plain'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DIALECTS)('the lexicon as a file on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let articleId: number;

  const upload = (url: string, who: StaffSession | null, file?: { name: string; type?: string; data: Buffer }, csrf = true) => {
    const body = multipart(csrf && who ? { _csrf: who.csrf } : {}, file);
    return h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who?.cookie ?? '', 'content-type': body.contentType, accept: 'text/html' },
      payload: body.payload,
    });
  };
  const entries = (article = 0) =>
    h.t.db
      .selectFrom('lexicon_entries')
      .select(['term', 'respelling', 'case_sensitive', 'whole_word'])
      .where('article_id', '=', article)
      .orderBy('term')
      .execute();
  const lexiconEvents = async () =>
    (await h.t.db.selectFrom('events').select('payload').where('type', '=', 'lexicon.changed').execute()).length;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await loginAs(h.app, h.t.db, 'editor');
    const a = await makeArticle(h.t.db, {
      headline: 'Talks resume in Kyiv',
      body: 'Delegates met in Kyiv on Monday.\n\nThe talks went on late.',
    });
    articleId = a.id;
  });
  afterAll(() => h.close());

  it('offers an upload form beside the paste box, with the CSRF token', async () => {
    const page = await h.app.inject({ url: '/admin/narration/lexicon', headers: { cookie: editor.cookie } });
    expect(page.statusCode).toBe(200);
    const form = /<form method="post" action="\/admin\/narration\/lexicon\/upload" enctype="multipart\/form-data"[\s\S]*?<\/form>/.exec(
      page.body,
    );
    expect(form?.[0]).toContain(`name="_csrf" value="${editor.csrf}"`);
    expect(form?.[0]).toMatch(/<input id="f-upload" name="lexicon" type="file" accept="\.txt,\.csv/);
    expect(page.body).toContain('<textarea');
    expect(page.body).toContain('download="lexicon.txt"');
  });

  it('imports an uploaded .txt file, records lexicon.changed and redirects', async () => {
    const res = await upload('/admin/narration/lexicon/upload', editor, { name: 'names.txt', data: fixture('names.txt') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/narration/lexicon?done=imported');
    expect(await entries()).toEqual([
      { term: 'Kyiv', respelling: 'keev', case_sensitive: 0, whole_word: 1 },
      { term: 'NATO', respelling: 'nay toe', case_sensitive: 1, whole_word: 1 },
      { term: 'Okonkwo-Hale', respelling: 'oh konk woh hail', case_sensitive: 0, whole_word: 1 },
    ]);
    expect(await lexiconEvents()).toBe(1);
  });

  it('imports an uploaded .csv file (with a byte-order mark and Windows line ends) into an article’s own lexicon', async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('places.csv')]);
    const res = await upload(`/admin/articles/${articleId}/lexicon/upload`, editor, { name: 'PLACES.CSV', type: 'text/csv', data });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/articles/${articleId}/lexicon?done=imported`);
    expect(await entries(articleId)).toEqual([
      { term: 'Kharkiv', respelling: 'kar keev', case_sensitive: 0, whole_word: 1 },
      { term: 'Kyiv', respelling: 'kee iv', case_sensitive: 0, whole_word: 0 },
    ]);
  });

  it('a file with a line it cannot read imports nothing and names the line', async () => {
    const before = await entries();
    const events = await lexiconEvents();
    const res = await upload('/admin/narration/lexicon/upload', editor, { name: 'broken.txt', data: fixture('broken.txt') });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(/<p class="field-error" id="upload-error">Nothing was imported\. line 4: /);
    expect(res.body).toMatch(/id="f-upload"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('<code>broken.txt</code>');
    expect(res.body).toContain('href="#f-upload"');
    expect(await entries()).toEqual(before);
    expect(await lexiconEvents()).toBe(events);
  });

  it('refuses a missing file, another kind of file, a file over the limit and text that is not UTF-8', async () => {
    const before = await entries();
    const none = await upload('/admin/narration/lexicon/upload', editor);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose a lexicon file (.txt or .csv) to upload.');

    const pdf = await upload('/admin/narration/lexicon/upload', editor, {
      name: 'names.pdf',
      type: 'application/pdf',
      data: fixture('names.txt'),
    });
    expect(pdf.statusCode).toBe(422);
    expect(pdf.body).toContain('The lexicon file must be a .txt or .csv file.');

    const line = Buffer.from('Kyiv = keev\n');
    const big = Buffer.concat(Array.from({ length: Math.ceil(LEXICON_UPLOAD_BYTES / line.length) + 10 }, () => line));
    const tooLarge = await upload('/admin/narration/lexicon/upload', editor, { name: 'big.txt', data: big });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toContain('The file is larger than 256 KB.');
    expect(tooLarge.body).toMatch(/id="f-upload"[^>]*aria-invalid="true"/);

    const latin1 = await upload('/admin/narration/lexicon/upload', editor, {
      name: 'latin1.txt',
      data: Buffer.from('Zürich = tsoo rick\n', 'latin1'),
    });
    expect(latin1.statusCode).toBe(422);
    expect(latin1.body).toContain('save it as UTF-8 text');
    const binary = await upload('/admin/narration/lexicon/upload', editor, { name: 'zeros.txt', data: Buffer.alloc(64) });
    expect(binary.statusCode).toBe(422);
    expect(await entries()).toEqual(before);
  });

  it('checks the role before the file, and the CSRF token', async () => {
    const file = { name: 'names.txt', data: Buffer.from('Lviv = luh veev\n') };
    const anonymous = await upload('/admin/narration/lexicon/upload', null, file);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/admin/login?next=${encodeURIComponent('/admin/narration/lexicon')}`);
    for (const role of ['writer', 'moderator'] as const) {
      const who = await loginAs(h.app, h.t.db, role);
      expect((await upload('/admin/narration/lexicon/upload', who, file)).statusCode).toBe(403);
      expect((await upload(`/admin/articles/${articleId}/lexicon/upload`, who, file)).statusCode).toBe(403);
    }
    expect((await upload('/admin/narration/lexicon/upload', editor, file, false)).statusCode).toBe(403);
    const paste = await h.app.inject({
      method: 'POST',
      url: '/admin/narration/lexicon/upload',
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${editor.csrf}&file=Lviv+%3D+luh+veev`,
    });
    expect(paste.statusCode).toBe(400);
    const admin = await loginAs(h.app, h.t.db, 'admin');
    expect((await upload('/admin/narration/lexicon/upload', admin, file)).statusCode).toBe(303);
    expect((await entries()).map((e) => e.term)).toContain('Lviv');
    // A token (no session, so no CSRF field) may upload too, as it may paste.
    const token = await makeToken(h.t.db, 'editor');
    const body = multipart({}, { name: 'more.txt', data: Buffer.from('Dnipro = d nee pro\n') });
    const scripted = await h.app.inject({
      method: 'POST',
      url: '/admin/narration/lexicon/upload',
      headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, accept: 'application/json' },
      payload: body.payload,
    });
    expect(scripted.statusCode).toBe(200);
    expect(scripted.json()).toEqual({ ok: true });
  });

  it('exports the lexicon as a file to download, which uploads back to the same entries', async () => {
    const exported = await h.app.inject({ url: '/admin/narration/lexicon.txt', headers: { cookie: editor.cookie } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="lexicon.txt"');
    expect(exported.body).toContain('Kyiv = keev');
    expect(exported.body).toContain('NATO = nay toe | case');
    const own = await h.app.inject({ url: `/admin/articles/${articleId}/lexicon.txt`, headers: { cookie: editor.cookie } });
    expect(own.headers['content-disposition']).toBe(`attachment; filename="lexicon-article-${articleId}.txt"`);
    expect(own.body).toContain('Kyiv = kee iv | part');

    const before = await entries();
    await h.t.db.deleteFrom('lexicon_entries').where('article_id', '=', 0).execute();
    const back = await upload('/admin/narration/lexicon/upload', editor, { name: 'lexicon.txt', data: Buffer.from(exported.body) });
    expect(back.statusCode).toBe(303);
    expect(await entries()).toEqual(before);
  });
});
