import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { subscribers, subscribersOf } from '../../src/events.subscribers.js';
import { NARRATION_JOB } from '../../src/narration/narration.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe('the subscriber table', () => {
  it('lists every subscriber, event by event', () => {
    const rows = subscribers.map((s) => `${s.event} → ${s.name}`);
    expect(rows.slice(0, 3)).toEqual([
      'article.published → queue the narration job',
      'article.updated → queue the narration job',
      'article.corrected → queue the narration job',
    ]);
    const webhookEvents = [
      'article.published',
      'article.updated',
      'article.unpublished',
      'comment.submitted',
      'comment.approved',
      'comment.rejected',
      'comment.reported',
      'narration.ready',
      'subscriber.confirmed',
      'subscriber.unsubscribed',
    ];
    expect(rows).toEqual(expect.arrayContaining(webhookEvents.map((e) => `${e} → queue webhook deliveries`)));
    const hubEvents = ['article.published', 'article.updated', 'article.unpublished'];
    expect(rows).toEqual(expect.arrayContaining(hubEvents.map((e) => `${e} → queue the WebSub hub ping`)));
  });

  it('finds the rows of an event type, and none for an event nobody reacts to', () => {
    expect(subscribersOf('article.published')).toEqual(subscribers.filter((s) => s.event === 'article.published'));
    expect(subscribersOf('article.published')[0].name).toBe('queue the narration job');
    expect(subscribersOf('comment.approved').map((s) => s.name)).toEqual(['queue webhook deliveries']);
    expect(subscribersOf('user.changed')).toEqual([]);
  });
});

describe.each(DIALECTS)('event subscribers on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const publishedRow = () => subscribers.find((s) => s.event === 'article.published')!;
  const jobsOf = (id: number) =>
    t.db.selectFrom('jobs').select(['type', 'dedupe_key']).where('dedupe_key', '=', `narration:${id}`).execute();
  const eventsOf = (id: number) =>
    t.db.selectFrom('events').select('type').where('subject_id', '=', id).where('type', 'like', 'article.%').execute();

  it('publishing an article records article.published and queues exactly the narration job through the table', async () => {
    const run = vi.spyOn(publishedRow(), 'run');
    const before = await t.db.selectFrom('jobs').select('id').execute();
    const a = await makeArticle(t.db);
    expect((await eventsOf(a.id)).map((e) => e.type)).toContain('article.published');
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0][1]).toMatchObject({ type: 'article.published', subjectId: a.id });
    const after = await t.db
      .selectFrom('jobs')
      .select(['type', 'dedupe_key'])
      .where('id', 'not in', [0, ...before.map((j) => j.id)])
      .execute();
    expect(after).toEqual([{ type: NARRATION_JOB, dedupe_key: `narration:${a.id}` }]);
  });

  it('runs nothing beside the table: with its rows doing nothing, publishing queues no job', async () => {
    for (const row of subscribers) vi.spyOn(row, 'run').mockResolvedValue(undefined);
    const a = await makeArticle(t.db);
    expect((await eventsOf(a.id)).map((e) => e.type)).toContain('article.published');
    expect(await jobsOf(a.id)).toEqual([]);
    const narration = await t.db.selectFrom('narrations').select('status').where('article_id', '=', a.id).execute();
    expect(narration).toEqual([]);
  });

  it('rolls the write back when a subscriber throws: it runs in the same transaction', async () => {
    vi.spyOn(publishedRow(), 'run').mockRejectedValue(new Error('subscriber failed'));
    await expect(makeArticle(t.db, { slug: 'never-stored' })).rejects.toThrow('subscriber failed');
    const article = await t.db.selectFrom('articles').select('id').where('slug', '=', 'never-stored').execute();
    expect(article).toEqual([]);
    const events = await t.db.selectFrom('events').select('payload').where('type', '=', 'article.published').execute();
    expect(events.filter((e) => e.payload.includes('never-stored'))).toEqual([]);
  });
});
