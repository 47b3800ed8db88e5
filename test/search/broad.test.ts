import { h as h_ } from 'preact';
import { render } from 'preact-render-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSearchRequest } from '../../src/search/search.params.js';
import { parseQuery } from '../../src/search/search.query.js';
import { searchIndex } from '../../src/search/search.repo.js';
import { search } from '../../src/search/search.service.js';
import { SearchPage } from '../../src/search/search.views.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('broad searches on %s', (dialect) => {
  let h: TestApp;
  const weather: number[] = [];

  beforeAll(async () => {
    h = await createTestApp(dialect);
    // Six "weather" articles, oldest first; the best match for relevance is the oldest one.
    for (let i = 0; i < 6; i++) {
      const words = i === 0 ? 'Weather weather weather' : `Market report ${i}`;
      const { id } = await makeArticle(h.t.db, {
        headline: words,
        body: i === 0 ? 'Weather all day.' : 'A note on the weather.',
        section: i % 2 ? 'Business' : 'Politics',
        published: new Date(Date.UTC(2026, 10, 1 + i)),
      });
      weather.push(id);
    }
  });
  afterAll(async () => h?.close());

  const page = { limit: 10, offset: 0 };

  it('ranks by relevance while the matches are within the ranked limit', async () => {
    const found = await searchIndex(h.t.db, parseQuery('weather'), {}, page, 6);
    expect(found.broad).toBe(false);
    expect(found.total).toBe(6);
    expect(found.hits[0].id).toBe(weather[0]);
  });

  it('answers newest first with a lower-bound count when more match', async () => {
    const found = await searchIndex(h.t.db, parseQuery('weather'), {}, page, 3);
    expect(found.broad).toBe(true);
    expect(found.total).toBe(4);
    expect(found.hits.map((hit) => hit.id)).toEqual([...weather].reverse());
    const inBusiness = await searchIndex(h.t.db, parseQuery('weather'), { sectionId: await sectionId('business') }, page, 2);
    expect(inBusiness.broad).toBe(true);
    expect(inBusiness.hits.map((hit) => hit.id)).toEqual([weather[5], weather[3], weather[1]]);
    // A query matching few articles is still ranked, whatever the rest of the archive holds.
    const one = await searchIndex(h.t.db, parseQuery('market report 3'), {}, page, 3);
    expect(one.broad).toBe(false);
  });

  it('pages a broad search up to the ranked limit and says so', async () => {
    const { request } = readSearchRequest({ q: 'weather' });
    const o = await search(h.t.db, request, { timeZone: 'UTC', pageSize: 2, rankedLimit: 3 });
    expect(o.broad).toBe(true);
    expect(o.total).toBe(3);
    expect(o.pages).toBe(2);
    expect(o.results.map((r) => r.article.id)).toEqual([weather[5], weather[4]]);
    const page = render(h_(SearchPage, { request, outcome: o, problems: [], sections: [], settings: DEFAULT_SETTINGS }));
    expect(page).toContain('More than 3 results, newest first, showing 1–2. Add a word to find the most relevant.');
    const res = await h.app.inject('/api/v1/search?q=weather');
    expect(res.json()).toMatchObject({ total: 6, order: 'relevance', totalIsLowerBound: false });
  });

  async function sectionId(slug: string): Promise<number> {
    const row = await h.t.db.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    return row.id;
  }
});
