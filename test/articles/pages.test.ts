import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('reader pages on %s', (dialect) => {
  let h: TestApp;
  let slug: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    const a = await makeArticle(h.t.db, { headline: 'Council Approves Budget', tags: ['Budget'], authors: ['Ana Ruiz', 'James Thompson'] });
    slug = a.slug;
  });
  afterAll(() => h.close());

  it('renders an article with its anatomy', async () => {
    const res = await h.app.inject(`/politics/${slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Council Approves Budget</h1>');
    expect(res.body).toContain('<title>Council Approves Budget — The Gazette</title>');
    expect(res.body).toContain('href="/author/ana-ruiz"');
    expect(res.body).toContain('Discussion (0 Comments)');
  });

  it('answers 404 for an unknown article', async () => {
    const res = await h.app.inject('/politics/nope');
    expect(res.statusCode).toBe(404);
  });
});
