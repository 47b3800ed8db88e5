import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_FROM, refreshStatistics, refreshTermCounts } from '../../src/db/statistics.js';
import { termCounts } from '../../src/search/search.repo.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

/** `harbor` is in COUNTED_FROM + 2 articles, `zeppelin` in two. */
async function fill(t: TestDb) {
  for (let i = 0; i < COUNTED_FROM + 2; i++) {
    await makeArticle(t.db, {
      headline: `Harbor report ${i}`,
      body: 'Ships in the harbors.',
      published: new Date(Date.UTC(2026, 10, 1, i)),
    });
  }
  for (let i = 0; i < 2; i++)
    await makeArticle(t.db, { headline: `Zeppelin ${i}`, body: 'Moored.', published: new Date(Date.UTC(2026, 9, 1, i)) });
}

describe.each(DIALECTS)('how many articles a word is in, on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await fill(t);
    await refreshStatistics(t.db);
  });
  afterAll(() => t.destroy());

  it('counts each word as the index stems it, up to a cap; unknown words count nothing', async () => {
    const counts = await termCounts(t.db, ['harbor', 'zeppelin', 'neverwritten', 'not a word'], 1000);
    expect(Object.fromEntries(counts)).toEqual({ harbor: COUNTED_FROM + 2, zeppelin: 2, neverwritten: 0 });
    expect((await termCounts(t.db, ['harbor'], 5)).get('harbor')).toBe(5);
  });
});

describe('word counts kept for PostgreSQL', () => {
  let t: TestDb;
  const kept = async () =>
    Object.fromEntries(
      (await sql<{ lexeme: string; articles: number }>`SELECT lexeme, articles FROM search_terms`.execute(t.db)).rows.map((r) => [
        r.lexeme,
        r.articles,
      ]),
    );
  beforeAll(async () => {
    t = await createTestDb('postgres');
    await fill(t);
  });
  afterAll(() => t.destroy());

  it('are computed from the index for the words of at least a few articles', async () => {
    expect(await kept()).toEqual({});
    await refreshStatistics(t.db, { start: true });
    const counts = await kept();
    // "harbor" and "harbors" are one word to the index.
    expect(counts.harbor).toBe(COUNTED_FROM + 2);
    expect(counts.zeppelin).toBeUndefined();
  });

  it('are what termCounts answers from, so that a common word is not counted row by row', async () => {
    await sql`UPDATE search_terms SET articles = 1500 WHERE lexeme = 'harbor'`.execute(t.db);
    expect((await termCounts(t.db, ['harbor', 'harbors'], 2001)).get('harbors')).toBe(1500);
    expect((await termCounts(t.db, ['harbor'], 1000)).get('harbor')).toBe(1000);
    expect((await termCounts(t.db, ['zeppelin'], 1000)).get('zeppelin')).toBe(2);
    // A stop word is not in PostgreSQL's index at all.
    expect((await termCounts(t.db, ['the'], 1000)).get('the')).toBe(0);
  });

  it('are recomputed hourly, but at start only when there are none', async () => {
    await refreshStatistics(t.db, { start: true });
    expect((await kept()).harbor).toBe(1500);
    await refreshTermCounts(t.db);
    expect((await kept()).harbor).toBe(COUNTED_FROM + 2);
  });
});
