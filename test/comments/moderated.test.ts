import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleById } from '../../src/articles/article.repo.js';
import { MemoryRateLimitStore } from '../../src/comments/comment.limiter.js';
import { findComment, setModerated } from '../../src/comments/comment.repo.js';
import { reportComment, submitComment } from '../../src/comments/comment.service.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { uniqueEmail } from './helpers.js';

const policy = { ...DEFAULT_SETTINGS, commentsRateSeconds: 0, commentsRatePerHour: 0 };

describe.each(DIALECTS)("a moderator's decision stored by the comments folder on %s", (dialect) => {
  let t: TestDb;
  let articleId: number;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    articleId = (await makeArticle(t.db)).id;
  });
  afterAll(() => t.destroy());

  const submit = async (email: string, body: string) => {
    const r = await submitComment(t.db, {
      article: await findArticleById(t.db, articleId),
      raw: { name: 'Reader', email, body },
      source: 'api',
      ip: '192.0.2.1',
      secret: t.config.secret,
      policy,
      limiter: new MemoryRateLimitStore(),
    });
    return (await findComment(t.db, r.id!))!;
  };
  const counts = async (email: string) => {
    const row = await t.db
      .selectFrom('commenters')
      .select(['approved_count', 'rejected_count'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return { approved_count: Number(row.approved_count), rejected_count: Number(row.rejected_count) };
  };

  it('sets the status, resolves open reports and moves the commenter counts', async () => {
    const email = uniqueEmail();
    const pending = await submit(email, 'A first comment waiting for a moderator.');
    expect(pending.status).toBe('pending');
    await t.db
      .transaction()
      .execute((trx) =>
        setModerated(trx, pending, { status: 'approved', reason: 'ignored when approved', now: '2026-12-01T10:00:00.000Z' }),
      );
    const approved = (await findComment(t.db, pending.id))!;
    expect(approved).toMatchObject({ status: 'approved', reject_reason: null, moderated_at: '2026-12-01T10:00:00.000Z' });
    expect(await counts(email)).toEqual({ approved_count: 1, rejected_count: 0 });

    await reportComment(t.db, { commentId: approved.id, reason: 'Off topic', ip: '198.51.100.2', secret: t.config.secret });
    expect((await findComment(t.db, approved.id))!.open_reports).toBe(1);
    await t.db
      .transaction()
      .execute((trx) => setModerated(trx, approved, { status: 'spam', reason: 'Advertising', now: '2026-12-01T11:00:00.000Z' }));
    const spam = (await findComment(t.db, approved.id))!;
    expect(spam).toMatchObject({ status: 'spam', reject_reason: 'Advertising', open_reports: 0 });
    const open = await t.db
      .selectFrom('comment_reports')
      .select('id')
      .where('comment_id', '=', spam.id)
      .where('resolved_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
    expect(await counts(email)).toEqual({ approved_count: 0, rejected_count: 1 });
  });

  it('leaves everything as it was when the transaction fails', async () => {
    const email = uniqueEmail();
    const pending = await submit(email, 'A second comment, rolled back.');
    await expect(
      t.db.transaction().execute(async (trx) => {
        await setModerated(trx, pending, { status: 'rejected', reason: '', now: '2026-12-01T12:00:00.000Z' });
        throw new Error('the event could not be recorded');
      }),
    ).rejects.toThrow('the event could not be recorded');
    expect((await findComment(t.db, pending.id))!.status).toBe('pending');
    expect(await counts(email)).toEqual({ approved_count: 0, rejected_count: 0 });
  });
});
