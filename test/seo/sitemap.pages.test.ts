import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/events.js';
import { articlePages, SITEMAP_PAGE_SIZE } from '../../src/seo/sitemap.repo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';

describe.each(DIALECTS)('sitemap index pages on %s', (dialect) => {
  let h: TestApp;

  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(async () => h?.close());

  it('follows publications, changes and unpublications through the events, page by page', async () => {
    const first = await makeArticle(h.t.db, { published: new Date('2026-11-01T09:00:00Z') });
    // The page's newest change readers saw: the publication, not when the row was written.
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2026-11-01T09:00:00.000Z' }]);

    const second = await makeArticle(h.t.db, { published: new Date('2026-11-02T09:00:00Z') });
    await h.t.db.updateTable('articles').set({ updated_at: '2030-01-01T00:00:00.000Z' }).where('id', '=', second.id).execute();
    await recordEvent(h.t.db, 'article.updated', second.id);
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2030-01-01T00:00:00.000Z' }]);
    // A change readers do not see (a bulk load moves only modified_at) leaves lastmod alone.
    await h.t.db.updateTable('articles').set({ modified_at: '2032-01-01T00:00:00.000Z' }).where('id', '=', first.id).execute();
    await recordEvent(h.t.db, 'article.updated', first.id);
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2030-01-01T00:00:00.000Z' }]);

    // An article far along the ids opens page 2; unpublished, page 2 goes again.
    const far = SITEMAP_PAGE_SIZE + 5;
    const row = await h.t.db.selectFrom('articles').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    await h.t.db
      .insertInto('articles')
      .values({ ...row, id: far, slug: 'far-along', published_at: '2026-11-03T09:00:00.000Z', updated_at: null })
      .execute();
    await recordEvent(h.t.db, 'article.published', far);
    expect(await articlePages(h.t.db)).toEqual([
      { page: 1, lastmod: '2030-01-01T00:00:00.000Z' },
      { page: 2, lastmod: '2026-11-03T09:00:00.000Z' },
    ]);
    await setArticleStatus(h.t.db, far, 'unpublished');
    expect((await articlePages(h.t.db)).map((p) => p.page)).toEqual([1]);
  });

  it('recomputes everything after a bulk load, which records a section change', async () => {
    // Past the stretch of events that is always read again (a busy comment section)…
    const filler = Array.from({ length: 1100 }, () => ({
      type: 'comment.submitted',
      subject_id: 1,
      payload: '{}',
      created_at: new Date().toISOString(),
    }));
    for (let i = 0; i < filler.length; i += 200)
      await h.t.db
        .insertInto('events')
        .values(filler.slice(i, i + 200))
        .execute();
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2030-01-01T00:00:00.000Z' }]);
    await h.t.db.updateTable('articles').set({ updated_at: '2031-01-01T00:00:00.000Z' }).where('status', '=', 'published').execute();
    // …a change without an event leaves the remembered pages as they were…
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2030-01-01T00:00:00.000Z' }]);
    // …and a section change (what `demo --scale` records) brings them up to date.
    await recordEvent(h.t.db, 'section.changed', null);
    expect(await articlePages(h.t.db)).toEqual([{ page: 1, lastmod: '2031-01-01T00:00:00.000Z' }]);
  });
});
