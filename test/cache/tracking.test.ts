import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteKeys, trackedRequests, trackKeys, untrack } from '../../src/cache/tracker.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type CachedApp, createCachedApp } from './cache.helpers.js';

describe('key tracking', () => {
  it('collects what a tracked call and everything it starts note, and nothing outside', async () => {
    const keys = new Set<string>();
    noteKeys('outside');
    await trackKeys(keys, async () => {
      noteKeys('a');
      await new Promise((resolve) => setTimeout(resolve, 5));
      noteKeys('b');
    });
    untrack();
    noteKeys('after');
    expect([...keys]).toEqual(['a', 'b']);
    expect(trackedRequests()).toBe(0);
  });
});

describe.each(DIALECTS)('key tracking over concurrent renders on %s', (dialect) => {
  let h: CachedApp;
  const articles: { id: number; url: string }[] = [];
  beforeAll(async () => {
    h = await createCachedApp(dialect);
    for (let i = 0; i < 8; i++) articles.push(await makeArticle(h.t.db, { headline: `Concurrent story ${i}` }));
  });
  afterAll(() => h.close());

  it('gives each of many renders at once its own keys, and stops tracking when all are answered', async () => {
    const answers = await Promise.all(articles.map((a) => h.app.inject(a.url)));
    answers.forEach((res, i) => {
      expect(res.headers['x-cache']).toBe('MISS');
      const keys = String(res.headers['surrogate-key']).split(' ');
      expect(keys).toContain(`article:${articles[i].id}`);
      // Other articles show up only as cards ("More in"), never as another page's own comments.
      for (const other of articles) if (other.id !== articles[i].id) expect(keys).not.toContain(`comments:${other.id}`);
    });
    expect(trackedRequests()).toBe(0);
    const again = await h.app.inject(articles[3].url);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(trackedRequests()).toBe(0);
  });
});
