import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrontMatterError, parseArticleFile } from '../../src/publish/frontmatter.js';

const doc = (front: string, body = 'Body text.') => `---\n${front}\n---\n${body}\n`;
const base = 'headline: A Headline\nsection: Politics\nauthors: [Ana Ruiz]';

function failure(source: string, timeZone?: string): FrontMatterError {
  try {
    parseArticleFile(source, timeZone);
  } catch (error) {
    expect(error).toBeInstanceOf(FrontMatterError);
    return error as FrontMatterError;
  }
  throw new Error('expected the file to be refused');
}

describe('parseArticleFile', () => {
  it('reads every field of the front matter', () => {
    const { article } = parseArticleFile(
      doc(
        [
          'headline: Council Approves Budget After Late-Night Session',
          'standfirst: One or two sentences under the headline.',
          'section: Politics',
          'authors: [Ana Ruiz, James Thompson]',
          'published: 2026-11-20T09:00:00Z     # omitted: now',
          'slug: council-approves-budget',
          'tags: [Budget, City Hall]',
          'hero: ./council.jpg',
          'hero_alt: Council members voting',
          'hero_caption: The council voted 7-2 just after midnight.',
          'hero_credit: Photo by Ana Ruiz',
          'comments: closed',
        ].join('\n'),
        'Markdown **body**.',
      ),
    );
    expect(article).toEqual({
      headline: 'Council Approves Budget After Late-Night Session',
      standfirst: 'One or two sentences under the headline.',
      section: 'Politics',
      authors: ['Ana Ruiz', 'James Thompson'],
      published: new Date('2026-11-20T09:00:00Z'),
      slug: 'council-approves-budget',
      tags: ['Budget', 'City Hall'],
      hero: './council.jpg',
      heroAlt: 'Council members voting',
      heroCaption: 'The council voted 7-2 just after midnight.',
      heroCredit: 'Photo by Ana Ruiz',
      commentsOpen: false,
      body: 'Markdown **body**.',
    });
  });

  it('has defaults for the optional fields', () => {
    const { article } = parseArticleFile(doc(base));
    expect(article).toMatchObject({
      standfirst: '',
      published: undefined,
      slug: 'a-headline',
      tags: [],
      hero: undefined,
      commentsOpen: true,
    });
  });

  it('accepts comma-separated lists, block lists, a BOM and Windows line endings', () => {
    const { article } = parseArticleFile(
      '\uFEFF---\r\nheadline: H\r\nsection: World\r\nauthors:\r\n  - A One\r\n  - B Two\r\ntags: x, y\r\n---\r\nBody\r\n',
    );
    expect(article.authors).toEqual(['A One', 'B Two']);
    expect(article.tags).toEqual(['x', 'y']);
    expect(article.body).toBe('Body');
  });

  it('reads a date without an offset in the site time zone', () => {
    const { article } = parseArticleFile(doc(`${base}\npublished: 2026-11-20 09:00`), 'America/New_York');
    expect(article.published?.toISOString()).toBe('2026-11-20T14:00:00.000Z');
  });

  it('derives an ASCII slug from an accented headline', () => {
    expect(parseArticleFile(doc('headline: Zoë Müller Élue Maire\nsection: World\nauthors: [X]')).article.slug).toBe(
      'zoe-mueller-elue-maire',
    );
  });

  it('returns unknown keys apart', () => {
    expect(parseArticleFile(doc(`${base}\ndemo_hours_ago: 5`)).extra).toEqual({ demo_hours_ago: 5 });
  });
});

describe('parseArticleFile refuses bad files and names the field', () => {
  const cases: [string, string, string | RegExp][] = [
    ['missing headline', 'section: Politics\nauthors: [A]', 'headline'],
    ['empty headline', 'headline: "  "\nsection: Politics\nauthors: [A]', 'headline'],
    ['headline not text', 'headline: [a, b]\nsection: Politics\nauthors: [A]', 'headline'],
    ['missing section', 'headline: H\nauthors: [A]', 'section'],
    ['missing authors', 'headline: H\nsection: Politics', 'authors'],
    ['authors not a list of names', 'headline: H\nsection: Politics\nauthors: [{a: 1}]', 'authors'],
    ['unknown date format', `${base}\npublished: 20/11/2026`, 'published'],
    ['impossible date', `${base}\npublished: 2026-02-30`, 'published'],
    ['bad slug', `${base}\nslug: Not A Slug`, 'slug'],
    ['bad comments value', `${base}\ncomments: maybe`, 'comments'],
    ['hero without alt text', `${base}\nhero: ./x.jpg`, 'hero_alt'],
    ['too long headline', `headline: ${'x'.repeat(301)}\nsection: P\nauthors: [A]`, 'headline'],
  ];
  for (const [name, front, field] of cases) {
    it(`refuses ${name}`, () => {
      const error = failure(doc(front));
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
    });
  }

  it('refuses a file without front matter', () => {
    expect(failure('Just a body').field).toBe('front matter');
    expect(failure('---\nheadline: H\nno closing line').field).toBe('front matter');
  });

  it('refuses front matter that is not a mapping', () => {
    expect(failure(doc('- just\n- a list')).message).toMatch(/key: value/);
  });

  it('refuses an empty body', () => {
    expect(failure(doc(base, '   ')).field).toBe('body');
  });

  it('reports a YAML error with its line in the file', () => {
    // Line 1 is "---"; the broken line is the fifth line of the file.
    const error = failure('---\nheadline: H\nsection: Politics\nauthors: [A]\ntags: a: b\n---\nBody\n');
    expect(error.field).toBe('front matter');
    expect(error.message).toMatch(/YAML error on line 5\b/);
    const later = failure('---\nheadline: H\nsection: Politics\nauthors: [A]\nstandfirst: x\nslug: y\ncomments: "open\n---\nBody\n');
    expect(later.message).toMatch(/line (7|8)\b/);
  });

  it('reads the reference article fixture', () => {
    const { article } = parseArticleFile(readFileSync(new URL('../fixtures/reference-article.md', import.meta.url), 'utf8'));
    expect(article.headline).toBe('Miami Meeting with Sanctioned Russian Envoy Deepens U.S. Concerns');
    expect(article.authors).toEqual(['James Thompson']);
    expect(article.section).toBe('Politics');
  });
});
