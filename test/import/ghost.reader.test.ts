import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readGhost } from '../../src/import/ghost/ghost.reader.js';
import { type ImportedPost, ImportFormatError } from '../../src/import/import.model.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/ghost/${name}`, import.meta.url));

async function postsOf(name: string): Promise<ImportedPost[]> {
  const site = await readGhost(fixture(name));
  const out: ImportedPost[] = [];
  for await (const p of site.posts) out.push(p);
  return out;
}

async function failure(name: string): Promise<ImportFormatError> {
  try {
    await readGhost(fixture(name));
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFormatError);
    return error as ImportFormatError;
  }
  throw new Error('expected the export to be refused');
}

describe('the Ghost reader', () => {
  it('reads a 5.x export: byline order, primary tag, internal tags skipped, image alt and caption, excerpt, status, comments', async () => {
    const posts = await postsOf('harbour-v5.json');
    expect(posts.map((p) => [p.sourceId, p.kind, p.status])).toEqual([
      ['p1', 'post', 'published'],
      ['p2', 'post', 'draft'],
      ['p3', 'post', 'scheduled'],
      ['p4', 'page', 'published'],
      ['p5', 'post', 'published'],
    ]);
    const ferry = posts[0];
    expect(ferry.authors.map((a) => a.name)).toEqual(['Tomás Lindqvist', 'Marta Okafor']);
    expect(ferry.categories.map((c) => c.name)).toEqual(['Ferries']);
    expect(ferry.tags.map((t) => t.name)).toEqual(['Harbour']);
    expect(ferry.featuredImage).toEqual({
      url: '/content/images/2024/03/ferry.jpg',
      alt: 'The ferry at the pier',
      caption: '<span>The <em>Skerry Star</em> at the pier.</span>',
    });
    expect(ferry.excerpt).toBe('The 23:10 sailing is back on the timetable.');
    expect(ferry.publishedAt).toBe('2024-03-01T09:00:00.000Z');
    expect(ferry.sticky).toBe(true);
    expect(ferry.oldUrls).toEqual(['/night-ferry-returns/']);
    expect(ferry.html).toContain('src="/content/images/2024/03/quay.jpg"');
    expect(ferry.html).not.toContain('__GHOST_URL__');
    // Deleted comments are not carried over; hidden ones are rejected; replies name their parent.
    expect(ferry.comments.map((c) => [c.sourceId, c.parentId, c.status, c.authorName])).toEqual([
      ['c2', 'c1', 'approved', 'Olu Bakare'],
      ['c1', undefined, 'approved', 'Ingrid Paulsen'],
      ['c3', undefined, 'rejected', 'Ingrid Paulsen'],
    ]);
  });

  it('reads a 4.x export: Mobiledoc and Lexical content become HTML when the export has none; old-style dates', async () => {
    const [bridge, lexical] = await postsOf('bridge-v4.json');
    expect(bridge.html).toContain('<h2>Bridge repairs begin</h2>');
    expect(bridge.html).toContain('Work starts on <strong>Monday</strong>');
    expect(bridge.html).toContain('<a href="https://example.test/report">the report</a>');
    expect(bridge.html).toContain('<img src="/content/images/2021/06/bridge.jpg" alt="Bridge"><figcaption>The old bridge</figcaption>');
    expect(bridge.html).toContain('<ul><li>Lane closures</li><li>Night works</li></ul>');
    expect(bridge.html).toContain('<td>06:12</td>');
    expect(bridge.publishedAt).toBe('2021-06-01T08:00:00.000Z');
    expect(bridge.authors.map((a) => a.name)).toEqual(['Ana Brenner']);
    expect(lexical.html).toBe('<p>Written in Lexical, <strong>bold</strong></p><h3>A sub-heading</h3>');
  });

  it('refuses an export of an unsupported version, naming the element', async () => {
    const error = await failure('old-v3.json');
    expect(error.element).toBe('db[0].meta.version');
    expect(error.message).toContain('Ghost 3.42.0 exports are not supported');
    expect(error.message).toContain('old-v3.json');
  });

  it('refuses a file that is not valid JSON, and one that is not a Ghost export', async () => {
    expect((await failure('broken.json')).element).toBe('JSON');
    expect((await failure('../ghost/media.zip')).element).toBe('JSON');
  });
});
