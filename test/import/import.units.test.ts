import { describe, expect, it } from 'vitest';
import { commentText } from '../../src/comments/comment.import.js';
import { bodyFromHtml, mediaUrlsIn, rewriteMedia } from '../../src/import/import.body.js';
import { candidatePaths, fetchMedia } from '../../src/import/import.media.js';
import type { ImportedComment, ImportedPost } from '../../src/import/import.model.js';
import { archivePlans, oldPathOf } from '../../src/import/import.redirects.js';
import { emptyReport, formatReport } from '../../src/import/import.report.js';
import { parseSectionMap } from '../../src/import/import.service.js';
import { sectionNameOf, skipReason, statusOf, threadOrder } from '../../src/import/import.writer.js';
import { renderMarkdown } from '../../src/text/markdown.js';

const post = (over: Partial<ImportedPost> = {}): ImportedPost => ({
  sourceId: '1',
  kind: 'post',
  title: 'A title',
  slug: 'a-title',
  html: '<p>Text</p>',
  status: 'published',
  authors: [],
  categories: [],
  tags: [],
  oldUrls: [],
  comments: [],
  ...over,
});
const opts = { source: 'wordpress' as const, sectionMap: {}, pages: 'section' as const };

describe('import helpers', () => {
  it('maps an export URL to the upload paths to look for, originals of resized copies included', () => {
    expect(candidatePaths('https://old.example/wp-content/uploads/2019/05/boat-300x200.jpg')).toEqual([
      '2019/05/boat-300x200.jpg',
      '2019/05/boat.jpg',
    ]);
    expect(candidatePaths('https://old.example/wp-content/uploads/2019/05/boat-scaled.JPG')).toEqual([
      '2019/05/boat-scaled.jpg',
      '2019/05/boat.jpg',
    ]);
    expect(candidatePaths('/content/images/size/w600/2024/03/quay.jpg')).toEqual(['2024/03/quay.jpg']);
    expect(candidatePaths('/content/images/2024/03/caf%C3%A9.jpg')).toEqual(['2024/03/café.jpg']);
  });

  it('keeps an HTML body as one block: Markdown never re-reads it, preformatted text keeps its blank lines', () => {
    const body = bodyFromHtml('<p>One *two* three</p>\n\n    <p>indented after a blank line</p>\n\n<pre><code>a\n\n  b</code></pre>');
    expect(body).not.toMatch(/\n\s*\n/);
    const html = renderMarkdown(body);
    expect(html).toContain('<p>One *two* three</p>');
    expect(html).toContain('<p>indented after a blank line</p>');
    expect(html).not.toContain('<code>&lt;p&gt;');
    expect(html).toContain('a\n\n  b');
    // Rendering again changes nothing: the stored body is already clean.
    expect(bodyFromHtml(html)).toBe(body);
  });

  it('points images at their new addresses; an image not found becomes a link, a srcset goes', () => {
    const html =
      '<img src="/wp-content/uploads/a.jpg" srcset="/wp-content/uploads/a-300x200.jpg 300w"><img src="https://x.example/b.jpg" alt="B"><a href="/wp-content/uploads/a.jpg">full size</a>';
    expect(mediaUrlsIn(html)).toEqual(['/wp-content/uploads/a.jpg', 'https://x.example/b.jpg']);
    const out = rewriteMedia(html, (url) => (url === '/wp-content/uploads/a.jpg' ? '/media/aa/bb/800.jpg' : undefined));
    expect(out).toBe('<img src="/media/aa/bb/800.jpg"><a href="https://x.example/b.jpg">B</a><a href="/media/aa/bb/800.jpg">full size</a>');
  });

  it('turns comment HTML into plain text', () => {
    expect(commentText('<p>Hello &amp; <b>welcome</b></p><p>Line<br/>two &#8211; ok</p><script>x()</script>')).toBe(
      'Hello & welcome\n\nLine\ntwo – ok',
    );
  });

  it('maps statuses: private → draft, pending → in review, scheduled keeps its time, trash is skipped', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(statusOf(post({ status: 'private' }), now)).toEqual({ status: 'draft', publishedAt: null });
    expect(statusOf(post({ status: 'pending' }), now)).toEqual({ status: 'in_review', publishedAt: null });
    expect(statusOf(post({ status: 'scheduled', publishedAt: '2027-01-01T00:00:00.000Z' }), now)).toEqual({
      status: 'scheduled',
      publishedAt: '2027-01-01T00:00:00.000Z',
    });
    expect(skipReason(post({ status: 'trash' }), opts)).toBe('in the trash');
    expect(skipReason(post({ kind: 'page' }), { ...opts, pages: 'skip' })).toBe('pages are skipped (--pages skip)');
  });

  it('chooses the section: mapping, primary category, "News" without one, never a page of the site', () => {
    const cat = (name: string, slug: string) => ({ sourceId: slug, name, slug });
    expect(
      sectionNameOf(post({ categories: [cat('Uncategorized', 'uncategorized')] }), {
        ...opts,
        sectionMap: parseSectionMap('uncategorized=News'),
      }),
    ).toBe('News');
    expect(sectionNameOf(post({ categories: [cat('Local', 'local'), cat('Sport', 'sport')] }), opts)).toBe('Local');
    expect(sectionNameOf(post(), opts)).toBe('News');
    expect(sectionNameOf(post({ categories: [cat('Search', 'search')] }), opts)).toBe('Search articles');
    expect(sectionNameOf(post({ kind: 'page' }), opts)).toBe('Pages');
    expect(() => parseSectionMap('a=b,oops')).toThrow(/old=New Section/);
  });

  it('orders comments so replies follow what they answer', () => {
    const c = (sourceId: string, parentId: string | undefined, createdAt: string): ImportedComment => ({
      sourceId,
      parentId,
      createdAt,
      authorName: 'x',
      body: 'y',
      status: 'approved',
    });
    const ordered = threadOrder([
      c('3', '2', '2024-01-01T00:00:00Z'),
      c('2', '1', '2024-01-02T00:00:00Z'),
      c('1', undefined, '2024-01-03T00:00:00Z'),
    ]);
    expect(ordered.map((x) => x.sourceId)).toEqual(['1', '2', '3']);
  });

  it('reads old addresses and plans the archive redirects', () => {
    expect(oldPathOf('https://old.example/2019/05/12/slug/')).toBe('/2019/05/12/slug');
    expect(oldPathOf('https://old.example/?p=12')).toBe('/?p=12');
    expect(oldPathOf('https://old.example/')).toBeUndefined();
    expect(oldPathOf('javascript:alert(1)')).toBeUndefined();
    const plans = archivePlans({
      source: 'wordpress',
      categories: [
        { sourceId: 'news', name: 'News', slug: 'news' },
        { sourceId: 'local', name: 'Local', slug: 'local', parentId: 'news' },
      ],
      tags: [],
      archives: new Map([
        ['category:local', '/local'],
        ['tag:boats', '/tag/boats'],
      ]),
    });
    expect(plans).toContainEqual({ from: '/category/news/local', to: '/local' });
    expect(plans).toContainEqual({ from: '/category/news/local/feed', to: '/local/feed.xml' });
    expect(plans).toContainEqual({ from: '/tag/boats/feed', to: '/tag/boats/feed.xml' });
    expect(plans.some((p) => p.from === '/tag/boats')).toBe(false);
  });

  it('--fetch-media: an unreachable host is simply not found', async () => {
    expect(await fetchMedia('http://127.0.0.1:9/missing.jpg', 2000)).toBeUndefined();
    expect(await fetchMedia('/relative/only.jpg')).toBeUndefined();
  });

  it('prints a readable report', () => {
    const r = emptyReport('ghost', true);
    r.counts.post.imported = 3;
    r.missingMedia.push({ url: '/content/images/x.jpg', where: 'post 1' });
    const text = formatReport(r);
    expect(text).toContain('Dry run of a Ghost import: nothing was written.');
    expect(text).toContain('Posts     3 to import');
    expect(text).toContain('/content/images/x.jpg (post 1)');
  });
});
