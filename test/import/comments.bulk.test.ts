import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommentToStore, storeImportedComments } from '../../src/comments/comment.import.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

/**
 * Imported comments are written a few hundred per statement: the ids, threads and commenters'
 * counts must come out as if they had been written one by one, across the statements' limits.
 */
describe.each(DIALECTS)('storing many imported comments at once on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  const at = (n: number) => new Date(Date.UTC(2024, 0, 1, 0, n)).toISOString();

  it('keeps threads, ids in list order and commenter counts across several inserts', async () => {
    const article = await makeArticle(t.db, { headline: 'A much discussed harbour story' });
    const items: CommentToStore[] = [];
    // 250 top-level comments (more than one insert), from 10 readers; every fifth is spam.
    for (let i = 0; i < 250; i++) {
      items.push({
        key: `top-${i}`,
        comment: {
          name: `Reader ${i % 10}`,
          email: `Reader${i % 10}@Mail.example`,
          body: `<p>Comment number ${i}</p>`,
          status: i % 5 === 4 ? 'spam' : 'approved',
          createdAt: at(i),
        },
      });
    }
    // A reply to each of the first 30, then a chain five deep under the first reply.
    for (let i = 0; i < 30; i++) {
      items.push({
        key: `reply-${i}`,
        parentKey: `top-${i}`,
        comment: { name: 'Replier', email: 'replier@mail.example', body: `Reply ${i}`, status: 'approved', createdAt: at(300 + i) },
      });
    }
    for (let d = 0; d < 5; d++) {
      items.push({
        key: `chain-${d}`,
        parentKey: d === 0 ? 'reply-0' : `chain-${d - 1}`,
        comment: { name: 'Chain', body: `Deeper ${d}`, status: 'pending', createdAt: at(400 + d) },
      });
    }
    // Nothing left once the markup is gone: not stored.
    items.push({
      key: 'empty',
      comment: { name: 'Nobody', email: 'x@mail.example', body: '<p> </p>', status: 'approved', createdAt: at(500) },
    });

    const ids = await storeImportedComments(t.db, { articleId: article.id, items, now: at(600) });
    expect(ids.size).toBe(items.length);
    expect(ids.get('empty')).toBeUndefined();
    const stored = items.filter((i) => i.key !== 'empty').map((i) => ids.get(i.key) as number);
    // Ids ascend in the order of the list (thread order), as one insert per comment gave them.
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    expect(new Set(stored).size).toBe(stored.length);

    const rows = await t.db
      .selectFrom('comments')
      .select(['id', 'parent_id', 'root_id', 'depth', 'body', 'status', 'commenter_id'])
      .where('article_id', '=', article.id)
      .execute();
    expect(rows).toHaveLength(285);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const row = (key: string) => byId.get(ids.get(key) as number);
    expect(row('top-0')).toMatchObject({ parent_id: null, root_id: ids.get('top-0'), depth: 0, body: 'Comment number 0' });
    expect(row('top-249')).toMatchObject({ parent_id: null, root_id: ids.get('top-249'), depth: 0 });
    expect(row('reply-29')).toMatchObject({ parent_id: ids.get('top-29'), root_id: ids.get('top-29'), depth: 1 });
    expect(row('chain-4')).toMatchObject({ parent_id: ids.get('chain-3'), root_id: ids.get('top-0'), depth: 6, status: 'pending' });
    expect(row('chain-4')?.commenter_id).toBeNull();

    const commenters = await t.db.selectFrom('commenters').select(['email', 'approved_count', 'rejected_count']).orderBy('email').execute();
    expect(commenters).toHaveLength(11);
    // Reader 4 and Reader 9 wrote the spam (every fifth comment): 25 each, nothing approved.
    expect(commenters.find((c) => c.email === 'reader4@mail.example')).toMatchObject({ approved_count: 0, rejected_count: 25 });
    expect(commenters.find((c) => c.email === 'reader0@mail.example')).toMatchObject({ approved_count: 25, rejected_count: 0 });
    expect(commenters.find((c) => c.email === 'replier@mail.example')).toMatchObject({ approved_count: 30, rejected_count: 0 });
    expect(commenters.some((c) => c.email === 'x@mail.example')).toBe(false);

    // A second article's comments from a known reader add to their counts.
    const other = await makeArticle(t.db, { headline: 'Another harbour story' });
    await storeImportedComments(t.db, {
      articleId: other.id,
      items: [
        { key: 'a', comment: { name: 'Reader 0', email: 'reader0@mail.example', body: 'Again', status: 'approved', createdAt: at(700) } },
      ],
      now: at(800),
    });
    const again = await t.db
      .selectFrom('commenters')
      .select('approved_count')
      .where('email', '=', 'reader0@mail.example')
      .executeTakeFirstOrThrow();
    expect(Number(again.approved_count)).toBe(26);
  });
});
