import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

/** The headlines of one part of the front page, in page order. */
function headlinesIn(html: string, from: string, to: string): string[] {
  const start = html.indexOf(from);
  const end = to ? html.indexOf(to, start + from.length) : html.length;
  if (start === -1) return [];
  return [...html.slice(start, end === -1 ? html.length : end).matchAll(/<h3[^>]*>\s*<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
}

describe.each(DIALECTS)('the front page on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    // Politics: ten stories, one an hour; Science: three, between them; Culture: none.
    for (let i = 0; i < 10; i++) {
      await makeArticle(h.t.db, {
        section: 'Politics',
        headline: `Politics story ${i}`,
        authors: [i % 2 ? 'Ana Ruiz' : 'James Thompson'],
        published: new Date(Date.UTC(2026, 10, 1, i)),
      });
    }
    for (let i = 0; i < 3; i++) {
      await makeArticle(h.t.db, {
        section: 'Science',
        headline: `Science story ${i}`,
        authors: ['Mei Chen'],
        published: new Date(Date.UTC(2026, 10, 1, 2 * i, 30)),
      });
    }
  });
  afterAll(() => h?.close());

  it('leads with the seven newest, then each section its four newest not already shown, with bylines', async () => {
    const res = await h.app.inject('/');
    expect(res.statusCode).toBe(200);
    // Newest overall: Politics 9 (the lead), then 8, 7, 6, 5, Science 2 (04:30), Politics 4.
    const front = headlinesIn(res.body, '<div class="front">', 'class="home-section"');
    expect(front).toEqual([
      'Politics story 8',
      'Politics story 7',
      'Politics story 6',
      'Politics story 5',
      'Science story 2',
      'Politics story 4',
    ]);
    // The lead story is the newest of all.
    expect(res.body.slice(res.body.indexOf('<div class="front">'), res.body.indexOf('class="latest"'))).toContain('Politics story 9');
    const politics = headlinesIn(res.body, 'id="home-politics"', '</section>');
    expect(politics).toEqual(['Politics story 3', 'Politics story 2', 'Politics story 1', 'Politics story 0']);
    const science = headlinesIn(res.body, 'id="home-science"', '</section>');
    expect(science).toEqual(['Science story 1', 'Science story 0']);
    // A section with nothing left to show has no block.
    expect(res.body).not.toContain('id="home-culture"');
    const block = res.body.slice(res.body.indexOf('id="home-science"'));
    expect(block.slice(0, block.indexOf('</section>'))).toContain('href="/author/mei-chen"');
  });
});
