import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { parseQuery } from '../../src/search/search.query.js';
import { relatedInIndex, searchIndex, termCounts } from '../../src/search/search.repo.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const BEFORE_SECTIONS = '2026_11_30_1720_newsroom_lists';
/** More strong matches in another section than related articles ever looked at across the archive. */
const ELSEWHERE = 210;

describe.each(DIALECTS)('related articles ranked within the section on %s', (dialect) => {
  let t: TestDb;
  let target: number;
  let science: number;
  const weak: number[] = [];

  const sectionIdOf = async (name: string) =>
    (await t.db.selectFrom('sections').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const related = (terms: string[]) => relatedInIndex(t.db, { articleId: target, sectionId: science, terms, limit: 4 });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    // Sport writes about glaciers in every headline: these outrank anything that names them once.
    for (let i = 0; i < ELSEWHERE; i++) {
      await makeArticle(t.db, {
        section: 'Sport',
        headline: `Glacier glacier race ${'abcdefghij'[i % 10]}`,
        body: 'The glacier race ran over the glacier again.',
        published: new Date(Date.UTC(2026, 8, 1, 0, i)),
      });
    }
    target = (
      await makeArticle(t.db, {
        section: 'Science',
        headline: 'Glacier retreat measured',
        body: 'Surveyors measured the glacier retreat.',
        published: new Date('2026-11-20T09:00:00Z'),
      })
    ).id;
    for (const [i, body] of ['Ice cores taken near a glacier.', 'A talk on rivers, lakes and one glacier.'].entries()) {
      const made = await makeArticle(t.db, {
        section: 'Science',
        slug: `science-weak-${i}`,
        headline: `Field notes ${'xy'[i]}`,
        body,
        published: new Date(Date.UTC(2026, 10, 10 + i)),
      });
      weak.push(made.id);
    }
    await makeArticle(t.db, { section: 'Science', headline: 'Telescope time', body: 'Nothing about ice here.' });
    science = await sectionIdOf('Science');
  }, 120_000);
  afterAll(() => t?.destroy());

  it('finds the section matches even when hundreds of better ones sit in other sections', async () => {
    // Ranking the whole archive first kept only its best few hundred: all of Sport, none of Science.
    expect((await related(['glacier'])).sort()).toEqual([...weak].sort());
  });

  it('follows an article moved to another section', async () => {
    await makeArticle(t.db, {
      section: 'Culture',
      slug: 'science-weak-1',
      headline: 'Field notes y',
      body: 'A talk on rivers, lakes and one glacier.',
      published: new Date(Date.UTC(2026, 10, 11)),
    });
    expect(await related(['glacier'])).toEqual([weak[0]]);
    const culture = await sectionIdOf('Culture');
    expect(await relatedInIndex(t.db, { articleId: target, sectionId: culture, terms: ['glacier'], limit: 4 })).toEqual([weak[1]]);
  });

  it("on SQLite, ranks the matches of the terms and keeps the section's from one unranked list", async () => {
    if (!t.sqlite) return;
    // bm25 counts every phrase of what it ranks across the index: ranking "terms AND section"
    // would read the section's whole list, which grows with the archive.
    const seen: { sql: string; parameters: readonly unknown[] }[] = [];
    const logged = new Kysely<Database>({
      dialect: new SqliteDialect({ database: t.sqlite as never }),
      log: (event) => {
        if (event.level === 'query') seen.push(event.query);
      },
    });
    const found = await relatedInIndex(logged, { articleId: target, sectionId: science, terms: ['glacier'], limit: 4 });
    expect(found).toEqual([weak[0]]);
    const [query] = seen;
    expect(query.parameters.filter((p) => typeof p === 'string' && /section/.test(p))).toHaveLength(1);
    const plan = (t.sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]).map(
      (r) => r.detail,
    );
    // The section's matches are one list built once, not a lookup of each ranked match by id.
    expect(plan).toContain('LIST SUBQUERY 2');
    expect(plan.filter((d) => d.startsWith('SCAN article_search')).every((d) => !/INDEX \d+:=/.test(d))).toBe(true);
  });

  it("never matches a reader's words against the section column", async () => {
    const hits = await searchIndex(t.db, parseQuery(String(science)), {}, { limit: 10, offset: 0 });
    expect(hits.total).toBe(0);
    // Nor are a number's counts or related matches taken from it.
    expect(await termCounts(t.db, [String(science)], 10)).toEqual(new Map([[String(science), 0]]));
    expect(await related([String(science)])).toEqual([]);
    expect((await searchIndex(t.db, parseQuery('retreat'), {}, { limit: 10, offset: 0 })).hits.map((h) => h.id)).toEqual([target]);
  });

  it('is kept through the migration down and up again (the index rebuilt from the articles)', async () => {
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo(BEFORE_SECTIONS);
    expect(down.error).toBeUndefined();
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const column = dialect === 'postgres' ? sql`section_id` : sql`section`;
    const key = dialect === 'postgres' ? sql`article_id` : sql`rowid`;
    const row = await sql<{ s: string | number }>`SELECT ${column} AS s FROM article_search WHERE ${key} = ${weak[0]}`.execute(t.db);
    expect(Number(row.rows[0]?.s)).toBe(science);
    expect(await related(['glacier'])).toEqual([weak[0]]);
    expect((await searchIndex(t.db, parseQuery('glacier race'), {}, { limit: 5, offset: 0 })).total).toBe(ELSEWHERE);
  });
});
