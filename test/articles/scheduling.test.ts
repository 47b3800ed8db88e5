import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDue } from '../../src/articles/article.service.js';
import { startScheduler } from '../../src/articles/scheduler.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('scheduled articles on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  /** Every list page an article could appear on. */
  const lists = ['/', '/politics', '/author/sam-scheduled', '/tag/embargoed'];

  beforeAll(async () => {
    h = await createTestApp(dialect);
    // A published article keeps the section, author and tag pages alive.
    await makeArticle(h.t.db, { headline: 'Already out', authors: ['Sam Scheduled'], tags: ['Embargoed'] });
  });
  afterAll(() => h.close());

  async function scheduled(delayMs: number) {
    const when = new Date(Date.now() + delayMs);
    const a = await makeArticle(h.t.db, {
      headline: `Embargoed story ${delayMs}`,
      authors: ['Sam Scheduled'],
      tags: ['Embargoed'],
      published: when,
    });
    return { ...a, when };
  }

  async function visible(slug: string): Promise<boolean[]> {
    return [
      (await get(`/politics/${slug}`)).statusCode === 200,
      ...(await Promise.all(lists.map(async (u) => (await get(u)).body.includes(slug)))),
    ];
  }

  it('a future date makes it scheduled: 404 and absent from every list', async () => {
    const a = await scheduled(3_600_000);
    expect(a.status).toBe('scheduled');
    expect(await visible(a.slug)).toEqual([false, false, false, false, false]);
    expect((await get(`/politics/${a.slug}`)).statusCode).toBe(404);
    // The author page counts published articles only.
    expect((await get('/author/sam-scheduled')).body).toContain('1 article');
  });

  it('publishDue publishes it once its time has come, not before', async () => {
    const a = await scheduled(3_600_000);
    expect(await publishDue(h.t.db, new Date(a.when.getTime() - 1000))).toEqual([]);
    expect(await publishDue(h.t.db, new Date(a.when.getTime() + 1000))).toContain(a.id);
    expect(await visible(a.slug)).toEqual([true, true, true, true, true]);
    // Only once: a second run finds nothing new.
    expect(await publishDue(h.t.db, new Date(a.when.getTime() + 2000))).not.toContain(a.id);
    const events = await h.t.db.selectFrom('events').select('type').where('subject_id', '=', a.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['article.scheduled', 'article.published']);
  });

  it('the running scheduler publishes it without a restart', async () => {
    const a = await scheduled(1500);
    const published: number[] = [];
    const scheduler = startScheduler(h.t.db, { intervalMs: 100, onPublished: (ids) => published.push(...ids) });
    try {
      expect((await get(`/politics/${a.slug}`)).statusCode).toBe(404);
      const deadline = Date.now() + 10_000;
      while (!published.includes(a.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(published).toContain(a.id);
      expect(Date.now()).toBeGreaterThanOrEqual(a.when.getTime());
      expect(await visible(a.slug)).toEqual([true, true, true, true, true]);
    } finally {
      scheduler.stop();
    }
  });
});
