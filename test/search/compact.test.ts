import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactSearchIndex } from '../../src/search/search.index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const WORDS = ['harbour', 'ferry', 'council', 'budget', 'tram', 'library', 'museum', 'bridge', 'school', 'clinic'];

describe.each(DIALECTS)('merging the search index on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    // One article per transaction, as a newsroom publishes them: each adds its own segment.
    for (let i = 0; i < 30; i++) {
      const word = WORDS[i % WORDS.length];
      await makeArticle(h.t.db, { headline: `The ${word} story number ${i}`, body: `A report on the ${word} and the town, part ${i}.` });
    }
  });
  afterAll(() => h.close());

  const results = async () => {
    const out: string[] = [];
    for (const w of WORDS)
      out.push(
        (await h.app.inject(`/search?q=${w}`)).body
          .match(/story number \d+/g)
          ?.sort()
          .join(',') ?? '',
      );
    return out;
  };

  it('keeps every answer the same while reading fewer segments', async () => {
    const before = await results();
    expect(before.every((r) => r.split(',').length === 3)).toBe(true);
    const segments = async () =>
      dialect === 'sqlite' ? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM article_search_idx`.execute(h.t.db)).rows[0].n) : 0;
    const many = await segments();
    await compactSearchIndex(h.t.db, 64);
    await compactSearchIndex(h.t.db, 64);
    const fewer = await segments();
    await compactSearchIndex(h.t.db);
    if (dialect === 'sqlite') {
      expect(fewer).toBeLessThan(many);
      expect(await segments()).toBeLessThanOrEqual(fewer);
    }
    expect(await results()).toEqual(before);
  });
});
