import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';
import { patchArticle } from './redirect.helpers.js';

describe.each(DIALECTS)('withdrawn articles answer 410 on %s', (dialect) => {
  let h: TestApp;
  let editor: string;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });

  it('an unpublished article answers 410 with a page in the site layout; republished, 200 again', async () => {
    const a = await makeArticle(h.t.db, { slug: 'recalled-report', section: 'Politics', headline: 'Recalled report' });
    await patchArticle(h.app, editor, a.id, { status: 'unpublished' });
    const gone = await get('/politics/recalled-report');
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toContain('text/html');
    expect(gone.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(gone.body).toContain('This article has been withdrawn');
    expect(gone.body).toContain('<meta name="robots" content="noindex');
    expect(gone.body).toContain('href="/politics"');
    expect(gone.body).not.toContain('Recalled report');
    // Feeds and search leave it out, as before.
    expect((await get('/feed.xml')).body).not.toContain('recalled-report');
    expect((await get('/search?q=recalled')).body).not.toContain('/politics/recalled-report');

    await patchArticle(h.app, editor, a.id, { status: 'published' });
    const back = await get('/politics/recalled-report');
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('Recalled report');
  });

  it('gazette publish unpublishing answers 410 too; a wrong section for it stays 404', async () => {
    const a = await makeArticle(h.t.db, { slug: 'pulled-story', section: 'Politics' });
    await setArticleStatus(h.t.db, a.id, 'unpublished');
    expect((await get('/politics/pulled-story')).statusCode).toBe(410);
    expect((await get('/sport/pulled-story')).statusCode).toBe(404);
  });

  it('a draft that was never published stays 404, as does a scheduled one', async () => {
    for (const [slug, status, published] of [
      ['never-live', 'draft', undefined],
      ['coming-soon', 'scheduled', new Date(Date.now() + 86_400_000).toISOString()],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/articles',
        headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ headline: slug, section: 'Politics', slug, body: 'Text.', status, ...(published ? { published } : {}) }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const page = await get(`/politics/${slug}`);
      expect(page.statusCode, slug).toBe(404);
      expect(page.body).toContain('We can’t find that page');
    }
  });
});
