import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlank } from '../../src/comments/comment.text.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postApi, postForm, relaxLimits, uniqueEmail } from './helpers.js';

/** Every zero-width character a comment might be made of, with spaces and line breaks. */
const INVISIBLE = ' \u200B\u200C\n\u200D\u2060\uFEFF \t';

describe('blank text', () => {
  it('counts zero-width characters and whitespace as nothing, and anything visible as something', () => {
    expect(isBlank(INVISIBLE)).toBe(true);
    expect(isBlank('')).toBe(true);
    expect(isBlank('\u200Bx\u200B')).toBe(false);
    // An emoji sequence joined by U+200D is text.
    expect(isBlank('👩\u200D💻')).toBe(false);
  });
});

describe.each(DIALECTS)('comment text that is not really text on %s', (dialect) => {
  let h: TestApp;
  let article: Awaited<ReturnType<typeof makeArticle>>;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    article = await makeArticle(h.t.db);
    await relaxLimits(h.app);
  });
  afterAll(() => h.close());

  it('refuses a comment of only zero-width characters, in JSON and as the form with what was typed kept', async () => {
    const api = await postApi(h.app, article.id, { name: 'Zed', email: uniqueEmail(), body: INVISIBLE });
    expect(api.statusCode).toBe(422);
    expect(api.json().error).toMatchObject({ field: 'body', message: 'Please write a comment.' });
    const name = await postApi(h.app, article.id, { name: '\u200B\u200B', email: uniqueEmail(), body: 'Visible words.' });
    expect(name.statusCode).toBe(422);
    expect(name.json().error.field).toBe('name');
    const form = await postForm(h.app, `${article.url}/comments`, { name: 'Kept Name', email: 'kept@example.org', body: INVISIBLE });
    expect(form.statusCode).toBe(422);
    expect(form.body).toContain('Please write a comment.');
    expect(form.body).toContain('value="Kept Name"');
    expect(form.body).toContain('value="kept@example.org"');
    const stored = await h.t.db.selectFrom('comments').select('id').where('article_id', '=', article.id).execute();
    expect(stored).toHaveLength(0);
  });

  it('stores lone surrogates as U+FFFD, valid UTF-8, and keeps surrogate pairs', async () => {
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one.
    const res = await postApi(h.app, article.id, { name: 'Lone \ud800 Name', email: uniqueEmail(), body: 'Broken \udc00 text 😀 \ud83d!' });
    expect(res.statusCode).toBe(202);
    const id = res.json().id as number;
    const row = await h.t.db.selectFrom('comments').select(['name', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.name).toBe('Lone \uFFFD Name');
    expect(row.body).toBe('Broken \uFFFD text 😀 \uFFFD!');
    if (dialect === 'sqlite') {
      const bytes = await sql<{ b: string }>`select hex(body) as b from comments where id = ${id}`.execute(h.t.db);
      const hex = bytes.rows[0].b;
      // ED A0 80 … ED BF BF would be a surrogate written as UTF-8; EF BF BD is U+FFFD.
      expect(hex).not.toMatch(/^(..)*ED[AB]/);
      expect(Buffer.from(hex, 'hex').toString('utf8')).toBe(row.body);
    }
  });
});
