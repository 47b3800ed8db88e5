import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPodcast } from '../../src/narration/podcast.feed.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { xmllint } from '../seo/xml.js';

/** A name with every character that means something in XML. */
const NAME = 'A<B & "C"';
const parser = new Parser({ xml2js: { strict: true } });

describe.each(DIALECTS)('feeds of a section and tag with markup in their names on %s', (dialect) => {
  let h: TestApp;
  let section = '';
  let tag = '';

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const made = await makeArticle(h.t.db, {
      headline: 'Names with markup',
      section: NAME,
      tags: [NAME],
      published: new Date('2026-11-20T09:00:00Z'),
    });
    const articleRow = await h.t.db.selectFrom('articles').select('section_id').where('slug', '=', made.slug).executeTakeFirstOrThrow();
    section = (await h.t.db.selectFrom('sections').select('slug').where('id', '=', articleRow.section_id).executeTakeFirstOrThrow()).slug;
    tag = (await h.t.db.selectFrom('tags').select('slug').where('name', '=', NAME).executeTakeFirstOrThrow()).slug;
  });
  afterAll(() => h.close());

  const scopes = () => ['', `/${section}`, `/tag/${tag}`];

  it('keeps every RSS and Atom feed well-formed XML that shows the names', async () => {
    for (const scope of scopes()) {
      for (const file of ['feed.xml', 'atom.xml']) {
        const res = await h.app.inject(`${scope}/${file}`);
        expect(res.statusCode, `${scope}/${file}`).toBe(200);
        const lint = xmllint(res.body);
        expect(lint.ok, `${scope}/${file}: ${lint.output}`).toBe(true);
        const feed = await parser.parseString(res.body);
        if (file === 'feed.xml') expect(feed.items[0].categories).toEqual([NAME, NAME]);
        if (scope) expect(feed.title).toContain(NAME);
      }
    }
  });

  it('keeps the Atom category label and term escaped', async () => {
    const res = await h.app.inject('/atom.xml');
    expect(res.body).toMatch(/<category [^>]*label="A&lt;B &amp; &quot;C&quot;"/);
  });

  it('keeps JSON Feed valid JSON with the names as written', async () => {
    for (const scope of scopes()) {
      const res = await h.app.inject(`${scope}/feed.json`);
      expect(res.statusCode).toBe(200);
      const doc = JSON.parse(res.body);
      if (scope) expect(doc.title).toContain(NAME);
      expect(doc.items[0].title).toBe('Names with markup');
    }
  });
});

describe('the podcast feed with markup in names', () => {
  it('is well-formed XML and shows the names', () => {
    const xml = buildPodcast(
      {
        origin: 'https://news.example.org',
        title: `${NAME} — The Gazette`,
        description: `${NAME} news`,
        pagePath: '/a-b-c',
        feedPath: '/a-b-c/podcast.xml',
        language: 'en-US',
        siteName: NAME,
        artworkUrl: 'https://news.example.org/artwork.jpg?v=1&x=2',
        owner: { name: NAME, email: 'desk@example.org' },
      },
      [
        {
          id: 1,
          slug: 'x',
          section_slug: 'a-b-c',
          section_name: NAME,
          headline: NAME,
          standfirst: NAME,
          published_at: '2026-11-20T09:00:00.000Z',
          file: 'x.mp3',
          bytes: 10,
          duration_ms: 1000,
          authors: [NAME],
        } as unknown as Parameters<typeof buildPodcast>[1][number],
      ],
    );
    const lint = xmllint(xml);
    expect(lint.ok, lint.output).toBe(true);
    expect(xml).toContain('<category>A&lt;B &amp; &quot;C&quot;</category>');
    expect(xml).not.toContain(NAME);
  });
});
