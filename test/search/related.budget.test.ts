import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affordableTerms, MATCH_BUDGET } from '../../src/search/search.related.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('related terms within a budget on %s', (dialect) => {
  let h: TestApp;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const db = h.t.db;
    // "weather" is in eight articles, "zeppelin" in two others and the target.
    for (let i = 0; i < 8; i++) {
      await makeArticle(db, {
        headline: `Weather report ${i}`,
        body: 'Weather again: rain, then more weather.',
        published: new Date(Date.UTC(2026, 10, 1 + i)),
      });
    }
    for (let i = 0; i < 2; i++) {
      await makeArticle(db, {
        headline: `Zeppelin hangar ${i}`,
        body: 'A zeppelin moored at the old hangar.',
        published: new Date(Date.UTC(2026, 9, 1 + i)),
      });
    }
    await makeArticle(db, {
      headline: 'Zeppelin weather weather',
      body: 'The zeppelin waited for better weather. Weather, weather, weather.',
      published: new Date('2026-11-20T09:00:00Z'),
    });
  });
  afterAll(async () => h?.close());

  it('keeps every term while their matches fit the budget', async () => {
    expect(MATCH_BUDGET).toBeGreaterThanOrEqual(1000);
    expect(await affordableTerms(h.t.db, ['weather', 'zeppelin'])).toEqual(['weather', 'zeppelin']);
  });

  it('sets aside terms that would take the matches over the budget, and terms the index does not have', async () => {
    // weather: 9 articles; zeppelin: 3; neverwritten: none.
    expect(await affordableTerms(h.t.db, ['weather', 'zeppelin', 'neverwritten'], 5)).toEqual(['zeppelin']);
    expect(await affordableTerms(h.t.db, ['weather', 'zeppelin'], 11)).toEqual(['weather']);
    expect(await affordableTerms(h.t.db, ['zeppelin', 'weather'], 12)).toEqual(['zeppelin', 'weather']);
    expect(await affordableTerms(h.t.db, ['weather'], 2)).toEqual([]);
  });
});
