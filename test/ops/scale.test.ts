import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScale } from '../../src/demo/scale.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { type Captured, fullScans, recordingApp } from './scale.plans.js';

describe.each(DIALECTS)('scale data on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  it('generates articles, bylines, tags, search rows and ~10 comments each in bulk', async () => {
    const started = Date.now();
    const result = await generateScale(t.db, { articles: 1200 });
    expect(result).toEqual({ articles: 1200, comments: 12_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    const count = async (table: 'articles' | 'comments' | 'article_authors') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('articles')).toBe(1200);
    expect(await count('article_authors')).toBe(1200);
    expect(await count('comments')).toBe(12_000);
    const pending = await t.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(pending.n)).toBe(1200);
    // A second run adds to the first instead of colliding with it.
    await generateScale(t.db, { articles: 10, commentsPerArticle: 0 });
    expect(await count('articles')).toBe(1210);
  });

  it('serves every reader page of it with index-only access to the big tables', async () => {
    const r = await recordingApp(t);
    try {
      const some = await t.db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.slug', 'sections.slug as section'])
        .where('articles.slug', '=', 'scale-700')
        .executeTakeFirstOrThrow();
      const pages = [
        '/',
        `/${some.section}`,
        `/${some.section}?page=10`,
        `/${some.section}/${some.slug}`,
        '/author/scale-author-7',
        '/tag/scale-topic-7',
        '/search?q=harbor+budget',
        '/feed.xml',
        '/sitemap.xml',
      ];
      for (const p of pages) {
        const res = await r.app.inject(p);
        expect(res.statusCode, p).toBeLessThan(500);
      }
      const seen = new Map<string, Captured>();
      for (const q of r.queries) if (/^\s*select/i.test(q.sql) && !seen.has(q.sql)) seen.set(q.sql, q);
      expect(seen.size).toBeGreaterThan(5);
      const problems: string[] = [];
      for (const q of seen.values()) {
        const scans = await fullScans(t, q);
        if (scans.length) problems.push(`${scans.join('; ')}  ←  ${q.sql}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
