import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysToPurge } from '../../src/cache/keys.js';
import { type CachedApp, cachedPaths, createCachedApp } from '../cache/cache.helpers.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { patchArticle } from './redirect.helpers.js';

describe.each(DIALECTS)('redirects, 410 and the page cache on %s', (dialect) => {
  let h: CachedApp;
  let editor: string;

  beforeAll(async () => {
    h = await createCachedApp(dialect);
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(() => h.close());

  /** Asks twice: the second answer comes from the page cache when the first was stored. */
  const twice = async (url: string) => {
    await h.app.inject(url);
    return h.app.inject(url);
  };

  it('the event of a move purges the page cached at the old URL (and the old section list); the old URL then answers 301', async () => {
    const a = await makeArticle(h.t.db, { slug: 'cached-move', section: 'Politics' });
    await h.app.pageCache.sync();
    expect((await twice('/politics/cached-move')).headers['x-cache']).toBe('HIT');
    expect((await twice('/politics')).headers['x-cache']).toBe('HIT');
    expect(cachedPaths(h.app, ['/politics/cached-move', '/politics'])).toEqual(['/politics/cached-move', '/politics']);

    await patchArticle(h.app, editor, a.id, { slug: 'cached-moved', section: 'World' });
    // The moved article's event names the key the old URL's page carries.
    const event = await h.t.db
      .selectFrom('events')
      .select(['id', 'type', 'subject_id', 'payload'])
      .where('subject_id', '=', a.id)
      .where('type', '=', 'article.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(await keysToPurge(h.t.db, event)).toContain(`article:${a.id}`);
    expect(cachedPaths(h.app, ['/politics/cached-move', '/politics'])).toEqual([]);

    for (let i = 0; i < 2; i++) {
      const old = await h.app.inject('/politics/cached-move');
      expect(old.statusCode).toBe(301);
      expect(old.headers.location).toBe('/world/cached-moved');
      expect(old.headers['x-cache']).toBeUndefined();
      expect(old.headers['cache-control']).toBe('public, max-age=60');
    }
    expect(cachedPaths(h.app, ['/politics/cached-move'])).toEqual([]);
    expect((await h.app.inject('/world/cached-moved')).statusCode).toBe(200);
  });

  it('a redirect changed by an admin is answered at once (301s are never kept in the page cache)', async () => {
    await makeArticle(h.t.db, { slug: 'target-one', section: 'Politics' });
    await makeArticle(h.t.db, { slug: 'target-two', section: 'Politics' });
    await h.t.db
      .insertInto('redirects')
      .values({
        from_path: '/legacy',
        to_path: '/politics/target-one',
        article_id: null,
        created_by: null,
        created_at: 'x',
        updated_at: 'x',
      })
      .execute();
    expect((await twice('/legacy')).headers.location).toBe('/politics/target-one');
    await h.t.db.updateTable('redirects').set({ to_path: '/politics/target-two' }).where('from_path', '=', '/legacy').execute();
    expect((await h.app.inject('/legacy')).headers.location).toBe('/politics/target-two');
  });

  it('a cached 200 is purged on unpublish; the 410 is not kept, so republishing shows the article at once', async () => {
    const a = await makeArticle(h.t.db, { slug: 'on-off', section: 'Politics' });
    await h.app.pageCache.sync();
    expect((await twice('/politics/on-off')).headers['x-cache']).toBe('HIT');
    await patchArticle(h.app, editor, a.id, { status: 'unpublished' });
    const gone = await twice('/politics/on-off');
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['x-cache']).toBeUndefined();
    expect(cachedPaths(h.app, ['/politics/on-off'])).toEqual([]);
    await patchArticle(h.app, editor, a.id, { status: 'published' });
    const back = await h.app.inject('/politics/on-off');
    expect(back.statusCode).toBe(200);
    expect(back.headers['x-cache']).toBe('MISS');
  });
});
