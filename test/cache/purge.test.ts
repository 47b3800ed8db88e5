import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveArticle } from '../../src/articles/article.service.js';
import { ensurePerson } from '../../src/authors/person.service.js';
import { recordEvent } from '../../src/events.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, cachedPaths, createCachedApp } from './cache.helpers.js';

/**
 * A small newsroom, every reader page of it warmed into the cache, then one change at a time:
 * the pages that show what changed must go, and every other page must stay.
 */
describe.each(DIALECTS)('purging exactly what an event changed on %s', (dialect) => {
  let h: CachedApp;
  const a = { id: 0, url: '' };
  const b = { id: 0, url: '' };
  const c = { id: 0, url: '' };
  let pages: string[];

  beforeAll(async () => {
    h = await createCachedApp(dialect);
    const db = h.t.db;
    Object.assign(
      a,
      await makeArticle(db, { slug: 'alpha', headline: 'Alpha budget vote', section: 'Politics', authors: ['Ana Ruiz'], tags: ['Budget'] }),
    );
    Object.assign(
      b,
      await makeArticle(db, { slug: 'bravo', headline: 'Bravo derby win', section: 'Sport', authors: ['Bob Stone'], tags: ['Football'] }),
    );
    Object.assign(
      c,
      await makeArticle(db, { slug: 'charlie', headline: 'Charlie council row', section: 'Politics', authors: ['Bob Stone'] }),
    );
    pages = ['/', '/politics', '/sport', a.url, b.url, c.url, '/author/ana-ruiz', '/author/bob-stone', '/tag/budget', '/tag/football'];
    await h.app.pageCache.sync();
  });
  afterAll(() => h.close());

  beforeEach(async () => {
    await h.app.pageCache.sync();
    for (const p of pages) expect((await h.app.inject(p)).statusCode, p).toBe(200);
    expect(cachedPaths(h.app, pages)).toEqual(pages);
  });

  const purgedBy = async (change: () => Promise<unknown>) => {
    await change();
    await h.app.pageCache.sync();
    const kept = new Set(cachedPaths(h.app, pages));
    return pages.filter((p) => !kept.has(p));
  };

  it('approving a comment purges that article page and nothing else', async () => {
    const purged = await purgedBy(() =>
      h.t.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('comments')
          .values({
            article_id: a.id,
            parent_id: null,
            root_id: null,
            depth: 0,
            commenter_id: null,
            name: 'Reader',
            body: 'Well reported.',
            body_hash: 'x',
            status: 'approved',
            reasons: '[]',
            spam_score: null,
            trained_as: null,
            ip_hash: null,
            source: 'api',
            open_reports: 0,
            reject_reason: null,
            created_at: new Date().toISOString(),
            moderated_at: new Date().toISOString(),
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordEvent(trx, 'comment.approved', row.id, { articleId: a.id });
      }),
    );
    expect(purged).toEqual([a.url]);
  });

  it('a pending comment purges nothing', async () => {
    const purged = await purgedBy(() =>
      h.t.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('comments')
          .values({
            article_id: b.id,
            depth: 0,
            name: 'Reader',
            body: 'First!',
            body_hash: 'y',
            status: 'pending',
            reasons: '[]',
            source: 'api',
            open_reports: 0,
            created_at: new Date().toISOString(),
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordEvent(trx, 'comment.submitted', row.id, { articleId: b.id, status: 'pending' });
      }),
    );
    expect(purged).toEqual([]);
  });

  it('updating an article purges it, its section, authors, tags, home and the pages listing it — not the others', async () => {
    const purged = await purgedBy(() =>
      makeArticle(h.t.db, {
        slug: 'bravo',
        headline: 'Bravo derby win, updated',
        section: 'Sport',
        authors: ['Bob Stone'],
        tags: ['Football'],
      }),
    );
    // Charlie's page shows Bob's byline but lists nothing of Bravo; Politics pages are untouched.
    expect(purged.sort()).toEqual(['/', '/author/bob-stone', '/sport', b.url, '/tag/football'].sort());
  });

  it('publishing into a section purges that section and its "More in" lists', async () => {
    const purged = await purgedBy(() =>
      makeArticle(h.t.db, { slug: `delta-${dialect}`, headline: 'Delta budget surprise', section: 'Politics', authors: ['Ana Ruiz'] }),
    );
    expect(purged.sort()).toEqual(['/', '/author/ana-ruiz', '/politics', a.url, c.url].sort());
  });

  it('unpublishing purges every page that showed the article', async () => {
    const purged = await purgedBy(() =>
      h.t.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('articles').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
        const bob = await ensurePerson(trx, { name: 'Bob Stone' });
        await saveArticle(trx, {
          slug: row.slug,
          headline: row.headline,
          standfirst: row.standfirst,
          sectionId: row.section_id,
          authorIds: [bob.id],
          tagIds: [],
          bodyMd: row.body_md,
          status: 'unpublished',
          publishedAt: row.published_at,
          commentsOpen: true,
          heroMediaId: null,
          heroAlt: '',
          heroCaption: '',
          heroCredit: '',
        });
      }),
    );
    expect(purged.sort()).toEqual(['/', '/author/bob-stone', '/politics', a.url, c.url].sort());
    pages = pages.filter((p) => p !== c.url);
  });

  it('a draft purges nothing', async () => {
    const purged = await purgedBy(() =>
      h.t.db.transaction().execute(async (trx) => {
        const section = await trx.selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow();
        await saveArticle(trx, {
          slug: `draft-${dialect}`,
          headline: 'Not yet',
          standfirst: '',
          sectionId: section.id,
          authorIds: [],
          tagIds: [],
          bodyMd: 'Draft.',
          status: 'draft',
          publishedAt: null,
          commentsOpen: true,
          heroMediaId: null,
          heroAlt: '',
          heroCaption: '',
          heroCredit: '',
        });
      }),
    );
    expect(purged).toEqual([]);
  });

  it("renaming a byline purges the author's page and the pages showing the byline", async () => {
    const purged = await purgedBy(() =>
      h.t.db.transaction().execute((trx) => ensurePerson(trx, { name: 'Ana Ruiz', bio: `New bio ${Date.now()}` })),
    );
    expect(purged).toEqual(expect.arrayContaining(['/author/ana-ruiz', a.url, '/tag/budget', '/politics', '/']));
    expect(purged).not.toContain(b.url);
    expect(purged).not.toContain('/sport');
    expect(purged).not.toContain('/author/bob-stone');
  });

  it('changing the settings purges everything', async () => {
    const purged = await purgedBy(() => h.t.db.transaction().execute((trx) => saveSettings(trx, { siteName: 'The Other Gazette' })));
    expect(purged).toEqual(pages);
  });
});
