import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingTables } from '../../src/articles/article.table.js';
import { generateScale } from '../../src/demo/scale.js';
import { postApi, postForm, relaxLimits } from '../comments/helpers.js';
import { loginAs } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { type Captured, recordingApp, scanProblems, selectsOf } from './scale.plans.js';

const link = (res: { body: string }, rel: 'prev' | 'next') => {
  const m = new RegExp(`<link rel="${rel}" href="([^"]+)"`).exec(res.body);
  if (!m) throw new Error(`no rel=${rel} link`);
  return m[1];
};

/** The whole query plan: EXPLAIN QUERY PLAN (SQLite) or EXPLAIN with sequential scans disabled (PostgreSQL). */
async function planOf(t: TestDb, q: Captured): Promise<string[]> {
  if (t.sqlite) {
    const rows = t.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[];
    return rows.map((r) => r.detail);
  }
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const res = await client.query(`EXPLAIN ${q.sql}`, q.parameters as unknown[]);
    return res.rows.map((r) => String(r['QUERY PLAN']));
  } finally {
    await client.end();
  }
}

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
    // The per-list counters, kept by triggers through the bulk inserts, agree with a real count.
    const counted = await t.db
      .selectFrom('articles')
      .select(['section_id', (eb) => eb.fn.countAll().as('n')])
      .where('status', '=', 'published')
      .groupBy('section_id')
      .execute();
    const kept = await t.db
      .withTables<ListingTables>()
      .selectFrom('listing_counts')
      .select(['list_id', 'n'])
      .where('kind', '=', 'section')
      .execute();
    expect(new Map(kept.map((k) => [k.list_id, Number(k.n)]))).toEqual(new Map(counted.map((c) => [c.section_id, Number(c.n)])));
    // A second run adds to the first instead of colliding with it.
    await generateScale(t.db, { articles: 10, commentsPerArticle: 0 });
    expect(await count('articles')).toBe(1210);
  });

  it('takes comments, by the form and the JSON API, with index-only access to the big tables', async () => {
    const r = await recordingApp(t);
    try {
      const some = await t.db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.id', 'articles.slug', 'sections.slug as section'])
        .where('articles.slug', '=', 'scale-800')
        .executeTakeFirstOrThrow();
      await relaxLimits(r.app);
      const body = { name: 'Scale Reader', email: 'scale-reader@example.com', body: 'A remark on the scale of things.' };
      expect((await postApi(r.app, some.id, body, '198.51.100.80')).statusCode).toBe(202);
      // The same words again: the duplicate check runs to a hit as well as a miss.
      expect((await postApi(r.app, some.id, body, '198.51.100.81')).statusCode).toBe(409);
      const form = await postForm(
        r.app,
        `/${some.section}/${some.slug}/comments`,
        { ...body, body: 'By the form this time.' },
        { ip: '198.51.100.82' },
      );
      expect(form.statusCode).toBeLessThan(400);
      expect((await r.app.inject(`/api/v1/articles/${some.id}/comments`)).statusCode).toBe(200);
      const seen = selectsOf(r.queries);
      expect([...seen.keys()].some((q) => /"body_hash" =/.test(q))).toBe(true);
      expect(await scanProblems(t, seen.values())).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('serves the moderation desk, the newsroom lists and the media library without reading a big table whole', async () => {
    const r = await recordingApp(t);
    try {
      const editor = await loginAs(r.app, t.db, 'editor');
      const pages = [
        '/admin/comments',
        '/admin/comments?queue=reported',
        '/admin/comments?sort=score',
        '/api/v1/comments',
        '/api/v1/comments?status=reported',
        '/admin/articles',
        '/admin/articles?q=scale',
        '/admin/media',
      ];
      for (const p of pages) {
        const res = await r.app.inject({ url: p, headers: { cookie: editor.cookie } });
        expect(res.statusCode, p).toBe(200);
      }
      const seen = selectsOf(r.queries);
      expect(await scanProblems(t, seen.values())).toEqual([]);
      // The desk's article menu walks articles newest first and stops: no sort of every match.
      // (PostgreSQL may sort a test-sized table; on 100,000 articles it walks the index too.)
      const menu = [...seen.values()].find((q) => /exists \(select "comments"\."id"/.test(q.sql));
      expect(menu).toBeDefined();
      if (t.sqlite) expect((await planOf(t, menu as Captured)).join('\n')).not.toMatch(/TEMP B-TREE/);
    } finally {
      await r.close();
    }
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
      // Deeper listing pages, reached the way readers reach them: "Older stories", then "Newer stories".
      const older = link(await r.app.inject(`/${some.section}`), 'next');
      const third = link(await r.app.inject(older), 'next');
      const newer = link(await r.app.inject(third), 'prev');
      expect(newer).toContain('?after=');
      expect((await r.app.inject(newer)).statusCode, newer).toBe(200);
      // Author and tag lists are one page here: ask for a place inside them directly.
      for (const list of ['/author/scale-author-7', '/tag/scale-topic-7']) {
        const cursor = /href="\/[^/"]+\/scale-(\d+)"/.exec((await r.app.inject(list)).body);
        expect(cursor, list).not.toBeNull();
        const row = await t.db
          .selectFrom('articles')
          .select(['id', 'published_at'])
          .where('slug', '=', `scale-${cursor?.[1]}`)
          .executeTakeFirstOrThrow();
        for (const q of ['before', 'after']) {
          const res = await r.app.inject(`${list}?${q}=${row.published_at}_${row.id}`);
          expect(res.statusCode, `${list} ${q}`).toBeLessThan(400);
        }
      }
      const seen = selectsOf(r.queries);
      expect(seen.size).toBeGreaterThan(5);
      expect(await scanProblems(t, seen.values())).toEqual([]);
      // Comments are read by article or by thread, never by walking one status across the whole site.
      const commentReads = [...seen.values()].filter((q) => /from "comments"/.test(q.sql));
      expect(commentReads.some((q) => /"root_id" in/.test(q.sql))).toBe(true);
      for (const q of commentReads) expect((await planOf(t, q)).join('\n'), q.sql).not.toMatch(/comments_status_created/);
      // Listing pages read one short range of the listings index, in its order: no sort, no scan.
      const listed = [...seen.values()].filter((q) => /from "listings"/.test(q.sql));
      expect(listed.length).toBeGreaterThanOrEqual(4);
      for (const q of listed) {
        const plan = await planOf(t, q);
        expect(plan.join('\n'), q.sql).toMatch(
          t.sqlite ? /SEARCH listings USING PRIMARY KEY \(kind=\? AND list_id=\?/ : /Index (Only )?Scan( Backward)? using listings_pkey/,
        );
        expect(plan.join('\n'), q.sql).not.toMatch(/TEMP B-TREE|Sort|Seq Scan|SCAN listings/);
      }
      // Their cards are then fetched by id, not by walking every published article.
      const cards = [...seen.values()].filter((q) =>
        /"articles"\."status" from "articles" .* where "articles"\."id" in \([^)]*\)$/.test(q.sql),
      );
      expect(cards.length).toBeGreaterThan(0);
      for (const q of cards) {
        expect((await planOf(t, q)).join('\n'), q.sql).toMatch(t.sqlite ? /SEARCH articles USING INTEGER PRIMARY KEY/ : /articles_pkey/);
      }
    } finally {
      await r.close();
    }
  });
});
