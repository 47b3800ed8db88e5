import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportedPost } from '../../src/import/import.model.js';
import { ImportFormatError } from '../../src/import/import.model.js';
import { readWordPress } from '../../src/import/wordpress/wordpress.reader.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import/wordpress');
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'gazette-wp-reader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function readAll(file: string, options: Parameters<typeof readWordPress>[1] = {}) {
  const site = await readWordPress(file, options);
  const posts: ImportedPost[] = [];
  for await (const post of site.posts) posts.push(post);
  const byId = (id: string) => {
    const post = posts.find((p) => p.sourceId === id);
    if (!post) throw new Error(`no post ${id}`);
    return post;
  };
  return { site, posts, byId };
}

async function formatError(file: string): Promise<ImportFormatError> {
  try {
    await readAll(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFormatError);
    return error as ImportFormatError;
  }
  throw new Error(`${file} was read without an error`);
}

describe('WordPress reader: a WXR 1.2 export', async () => {
  const { site, posts, byId } = await readAll(fixture('harbour-times-1.2.xml'), { timeZone: 'Europe/London' });

  it('reads the channel header: site, people, categories with their parents, tags', () => {
    expect(site.source).toBe('wordpress');
    expect(site.siteUrl).toBe('https://harbourtimes.example');
    expect(site.people.map((p) => [p.sourceId, p.name])).toEqual([
      ['mlindqvist', 'Maren Lindqvist'],
      ['tobi.okafor', 'Tobi Okafor'],
      // No display name: first and last name instead.
      ['deskeditor', 'Priya Raman'],
      // A Co-Authors Plus guest author, found among the items.
      ['hanne-vos', 'Hanne Vos'],
    ]);
    expect(site.people[0].email).toBe('maren.lindqvist@harbourtimes.example');
    expect(site.categories).toEqual([
      { sourceId: 'local', name: 'Local', slug: 'local', description: 'Stories from the town and its harbour' },
      { sourceId: 'council', name: 'Council & Politics', slug: 'council', parentId: 'local' },
      { sourceId: 'business', name: 'Business', slug: 'business' },
    ]);
    // wp:tag and the generic wp:term of taxonomy post_tag; the nav menu and author terms are not tags.
    expect(site.tags.map((t) => t.slug)).toEqual(['ferries', 'budget-2024', 'weather']);
  });

  it('yields posts and pages in file order, leaving out revisions, menu items and attachments', () => {
    expect(posts.map((p) => p.sourceId)).toEqual(['101', '102', '103', '104', '105', '106', '107', '108', '111']);
    expect(byId('108').kind).toBe('page');
    expect(byId('101').kind).toBe('post');
    expect(site.warnings).toContainEqual({ where: 'export', message: 'skipped 1 item of type revision' });
    expect(site.warnings).toContainEqual({ where: 'export', message: 'skipped 1 item of type nav_menu_item' });
    expect(site.totals).toEqual({ posts: 9, comments: 5 });
  });

  it('maps every WordPress status', () => {
    const status = Object.fromEntries(posts.map((p) => [p.sourceId, p.status]));
    expect(status).toMatchObject({ 101: 'published', 103: 'draft', 104: 'pending', 105: 'scheduled', 106: 'private', 107: 'trash' });
  });

  it('reads the title, slug, excerpt and flags of a post', () => {
    const post = byId('101');
    // Entities decoded: titles are plain text.
    expect(post.title).toBe('Council approves harbour crane after a night of debate – and a tie-break');
    expect(post.slug).toBe('council-approves-harbour-crane');
    expect(post.excerpt).toBe('A 6–5 vote & a tie-break from the mayor settle the north quay question.');
    expect(post.sticky).toBe(true);
    expect(post.commentsOpen).toBe(true);
    expect(byId('102').sticky).toBe(false);
    expect(byId('102').commentsOpen).toBe(false);
    expect(byId('102').excerpt).toBeUndefined();
  });

  it('makes a slug where WordPress left none, and frees a trashed post’s slug', () => {
    expect(byId('103').slug).toBe('draft-harbour-dredging-tender');
    expect(byId('107').slug).toBe('fish-market-rumour');
    // A percent-encoded Arabic slug becomes an ASCII one.
    expect(byId('111').slug).toMatch(/^[a-z0-9-]+-harbour$/);
  });

  it('prefers the GMT date and reads local dates in the site’s time zone', () => {
    expect(byId('101').publishedAt).toBe('2024-03-12T07:30:00.000Z');
    expect(byId('101').updatedAt).toBe('2024-03-13T10:02:11.000Z');
    // Scheduled: local 11:00 in April (summer time), GMT 09:00 is what counts.
    expect(byId('105').publishedAt).toBe('2024-04-02T09:00:00.000Z');
    // A draft has no GMT date (0000-00-00): its local date is read in Europe/London (GMT in March).
    expect(byId('103').createdAt).toBe('2024-03-15T18:45:00.000Z');
    expect(byId('103').publishedAt).toBeUndefined();
    expect(byId('104').publishedAt).toBeUndefined();
  });

  it('reads the byline: Co-Authors Plus in order, else dc:creator', () => {
    expect(byId('101').authors.map((a) => a.sourceId)).toEqual(['mlindqvist', 'tobi.okafor', 'hanne-vos']);
    expect(byId('101').authors[2].name).toBe('Hanne Vos');
    expect(byId('102').authors).toEqual([
      { sourceId: 'tobi.okafor', name: 'Tobi Okafor', slug: 'tobi-okafor', email: 'tobi.okafor@harbourtimes.example' },
    ]);
  });

  it('puts the primary category first (Yoast’s choice) and reads tags', () => {
    expect(byId('101').categories.map((c) => c.slug)).toEqual(['council', 'business']);
    expect(byId('101').categories[0].name).toBe('Council & Politics');
    // A tag the header did not list is still read from the post.
    expect(byId('101').tags.map((t) => t.slug)).toEqual(['budget-2024', 'harbour']);
    expect(byId('102').categories.map((c) => c.slug)).toEqual(['local']);
  });

  it('resolves the featured image from an attachment later in the file, with its alt text and caption', () => {
    expect(byId('101').featuredImage).toEqual({
      url: 'https://harbourtimes.example/wp-content/uploads/2024/03/harbour-crane.jpg',
      alt: 'The north quay crane against the evening sky',
      caption: 'The north quay crane, built in 1979.',
    });
    expect(byId('102').featuredImage).toBeUndefined();
  });

  it('reports a featured image that is not in the export and still yields the post', () => {
    expect(byId('111').featuredImage).toBeUndefined();
    expect(site.warnings).toContainEqual({ where: '111', message: 'featured image (attachment 999) is not in the export' });
    expect(byId('111').html).toContain('uploads/2024/03/missing-trawler.jpg');
  });

  it('reads comments with threading, authors and every moderation state', () => {
    const comments = byId('101').comments;
    expect(comments.map((c) => [c.sourceId, c.parentId, c.status])).toEqual([
      ['501', undefined, 'approved'],
      ['502', '501', 'approved'],
      ['503', '502', 'pending'],
      ['504', undefined, 'spam'],
      ['505', undefined, 'rejected'],
    ]);
    expect(comments[0]).toMatchObject({
      authorName: 'Agnes Pirrie',
      authorEmail: 'agnes.pirrie@mail.example',
      authorUrl: 'https://agnes.example',
      createdAt: '2024-03-12T08:05:00.000Z',
      body: 'About time. The old crane has been held together with tape for years.\n\nMy father drove it in the eighties.',
    });
    // "http://" is what WordPress stores for no address.
    expect(comments[1].authorUrl).toBeUndefined();
    expect(comments[1].body).toBe('@Agnes so did mine – small town!');
    expect(comments[2].authorEmail).toBeUndefined();
    expect(site.warnings).toContainEqual({ where: '101', message: '1 pingback or trackback comment left out' });
  });

  it('lists the old addresses: permalink path, guid and ?p= forms', () => {
    expect(byId('101').oldUrls).toEqual(['/2024/03/12/council-approves-harbour-crane/', '/?p=101']);
    expect(byId('108').oldUrls).toEqual(['/about/', '/?page_id=108', '/?p=108']);
    // A draft's link is its ?p= form: listed once.
    expect(byId('103').oldUrls).toEqual(['/?p=103']);
    // Percent-escapes as browsers send them (upper case).
    expect(byId('111').oldUrls[0]).toBe('/2024/03/16/%D8%B5%D9%8A%D8%A7%D8%AF%D9%88-harbour/');
  });

  it('keeps odd text intact: CDATA split in two, entities, emoji and right-to-left text', () => {
    const post = byId('111');
    expect(post.title).toBe('صيادو الميناء يعودون | דייגי הנמל חוזרים');
    expect(post.html).toContain('<code>if (a[i]]&gt; 0)</code>');
    expect(post.html).toContain('back 🎣🌊 after a week of storms — and');
    expect(post.html).toContain('<p dir="rtl">הדייגים חזרו לנמל בשבת בבוקר.</p>');
  });

  it('converts content and reports what it could not carry over, by post', () => {
    expect(byId('101').html).toContain('<figcaption>The crane has worked the north quay since 1979.</figcaption>');
    expect(site.warnings).toContainEqual({ where: '101', message: 'unknown shortcode [newsletter_signup] kept as text' });
    expect(site.warnings).toContainEqual({ where: '102', message: 'unknown block jetpack/map: its HTML was kept' });
    expect(site.warnings).toContainEqual({ where: '102', message: 'unknown shortcode [poll] kept as text' });
  });

  it('shows a reusable block where a post uses it (the block is an item of its own, later in the file)', () => {
    expect(byId('102').html).toContain('<p>Ferry updates by text: send <strong>FERRY</strong> to 60400.</p>');
    expect(posts.some((p) => p.sourceId === '401')).toBe(false);
  });
});

describe('WordPress reader: older exports', () => {
  it('reads WXR 1.1 with a site in a sub-folder, local comment dates and a [gallery] of the post’s own images', async () => {
    const { site, byId } = await readAll(fixture('valley-post-1.1.xml'), { timeZone: 'Europe/Warsaw' });
    expect(site.siteUrl).toBe('http://valleypost.example/news');
    const post = byId('42');
    expect(post.oldUrls).toEqual(['/news/2012/08/23/exam-results-rise/', '/news/?p=42', '/?p=42']);
    // comment_date_gmt is 0000-00-00: 10:15 in Warsaw in August is 08:15 UTC.
    expect(post.comments[0].createdAt).toBe('2012-08-23T08:15:00.000Z');
    expect(post.html).toContain(
      '<figure><img src="http://valleypost.example/news/wp-content/uploads/2012/08/envelopes.jpg" alt=""><figcaption>Envelopes at Hillside</figcaption></figure>',
    );
    expect(byId('44').createdAt).toBe('2012-07-01T21:30:00.000Z');
    expect(site.warnings).toEqual([{ where: '42', message: 'unknown shortcode [vimeo] kept as text' }]);
  });

  it('reads WXR 1.0: no author list, categories without a domain, "tag" as the tag domain', async () => {
    const { site, posts } = await readAll(fixture('river-gazette-1.0.xml'));
    expect(site.people).toEqual([]);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post.authors).toEqual([{ sourceId: 'jonas', name: 'jonas', slug: 'jonas' }]);
    expect(post.categories.map((c) => c.slug)).toEqual(['floods']);
    expect(post.tags.map((t) => t.slug)).toEqual(['bridge']);
    expect(post.excerpt).toBe('One lane, for now.');
    expect(post.publishedAt).toBe('2010-03-29T16:00:00.000Z');
    expect(post.comments[0]).toMatchObject({ sourceId: '3', status: 'approved', createdAt: '2010-03-29T17:00:00.000Z' });
    expect(post.html).toBe(
      '<p>The old stone bridge reopened on Monday, <em>three weeks</em> after water reached its arches.</p>\n<p>Traffic is limited to one lane.</p>',
    );
  });

  it('reads local dates as UTC when no time zone is given', async () => {
    const { byId } = await readAll(fixture('valley-post-1.1.xml'));
    expect(byId('44').createdAt).toBe('2012-07-01T23:30:00.000Z');
  });

  it('refuses an unknown time zone before reading', async () => {
    await expect(readWordPress(fixture('valley-post-1.1.xml'), { timeZone: 'Mars/Olympus' })).rejects.toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    );
  });

  it('uses the given base URL for the site, and reads links relative to it', async () => {
    const { site, byId } = await readAll(fixture('harbour-times-1.2.xml'), { baseUrl: 'https://www.harbourtimes.example/' });
    expect(site.siteUrl).toBe('https://www.harbourtimes.example');
    expect(byId('102').oldUrls).toEqual(['/2024/03/14/ferry-timetable-changes/', '/?p=102']);
  });
});

describe('WordPress reader: statuses that need care', () => {
  it('imports a password-protected post as private, skips auto-drafts, reads an unknown status as draft', async () => {
    const item = (id: number, status: string, password = '') =>
      `<item><title>Post ${id}</title><wp:post_id>${id}</wp:post_id><wp:post_type>post</wp:post_type><wp:status>${status}</wp:status><wp:post_password>${password}</wp:post_password><content:encoded><![CDATA[Body ${id}]]></content:encoded></item>`;
    const file = join(scratch, 'statuses.xml');
    writeFileSync(
      file,
      `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version>${item(1, 'publish', 'letmein')}${item(2, 'auto-draft')}${item(3, 'archived')}${item(4, 'future', 'x')}<item><title>No id</title><wp:post_type>post</wp:post_type></item></channel></rss>`,
    );
    const { site, posts } = await readAll(file);
    expect(posts.map((p) => [p.sourceId, p.status])).toEqual([
      ['1', 'private'],
      ['3', 'draft'],
      ['4', 'private'],
    ]);
    expect(site.totals).toEqual({ posts: 3, comments: 0 });
    expect(site.warnings).toEqual([
      { where: '1', message: 'was password-protected on the old site: imported as private' },
      { where: '3', message: 'status "archived" read as draft' },
      { where: '4', message: 'was password-protected on the old site: imported as private' },
      { where: 'export', message: 'skipped 1 item of type auto-draft' },
      { where: 'export', message: 'skipped 1 item of type post without a wp:post_id' },
    ]);
  });
});

describe('WordPress reader: one pass without the prescan', () => {
  it('still yields everything; featured images resolve only when the attachment came first', async () => {
    const { site, byId } = await readAll(fixture('harbour-times-1.2.xml'), { prescan: false });
    expect(site.totals).toBeUndefined();
    expect(byId('101').featuredImage).toBeUndefined();
    expect(site.warnings).toContainEqual({ where: '101', message: 'featured image (attachment 201) is not in the export' });
    // The guest author is only known from the prescan: the byline falls back to the login.
    expect(byId('101').authors[2]).toEqual({ sourceId: 'hanne-vos', name: 'hanne-vos', slug: 'hanne-vos' });
  });
});

describe('WordPress reader: bad files', () => {
  it('names the element and line of malformed XML', async () => {
    const error = await formatError(fixture('malformed.xml'));
    expect(error.file).toBe('malformed.xml');
    expect(error.element).toBe('<wp:post_date> at line 20, column 51');
    expect(error.message).toContain('malformed.xml: <wp:post_date> at line 20');
  });

  it('fails on malformed XML before yielding any post (the prescan reads the whole file)', async () => {
    await expect(readWordPress(fixture('malformed.xml'))).rejects.toBeInstanceOf(ImportFormatError);
  });

  it('refuses RSS without the WordPress namespace, and XML that is not RSS', async () => {
    const feed = await formatError(fixture('not-wordpress.xml'));
    expect(feed.message).toMatch(/not a WordPress export: no WordPress \(wp:\) namespace/);
    expect(feed.element).toMatch(/^<item> at line 6/);
    const atom = await formatError(fixture('atom-feed.xml'));
    expect(atom.message).toMatch(/the root element is <feed>, expected <rss>/);
  });

  it('refuses an empty file, a file that is not XML, and a truncated export', async () => {
    const empty = join(scratch, 'empty.xml');
    writeFileSync(empty, '');
    expect((await formatError(empty)).file).toBe('empty.xml');
    const json = join(scratch, 'export.json');
    writeFileSync(json, '{"db":[{"data":{}}]}');
    expect((await formatError(json)).message).toContain('export.json');
    const source = await import('node:fs').then((fs) => fs.readFileSync(fixture('harbour-times-1.2.xml'), 'utf8'));
    const truncated = join(scratch, 'truncated.xml');
    writeFileSync(truncated, source.slice(0, Math.floor(source.length * 0.6)));
    const error = await formatError(truncated);
    expect(error.file).toBe('truncated.xml');
  });

  it('does not expand entities a DOCTYPE declares (no entity bombs)', async () => {
    const file = join(scratch, 'doctype.xml');
    writeFileSync(
      file,
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&b;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item></channel></rss>`,
    );
    const error = await formatError(file);
    expect(error.element).toMatch(/^<title> at line 1/);
  });

  it('says why a file cannot be read: missing, or a folder', async () => {
    const missing = await formatError(join(scratch, 'nowhere.xml'));
    expect(missing.message).toBe('nowhere.xml: file: no such file');
    const folder = await formatError(scratch);
    expect(folder.element).toBe('file');
    expect(folder.message).toMatch(/is not a file/);
  });

  it('refuses a channel without a WXR version', async () => {
    const file = join(scratch, 'no-version.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>x</title><item><wp:post_id>1</wp:post_id></item></channel></rss>',
    );
    const error = await formatError(file);
    expect(error.element).toBe('<wp:wxr_version>');
  });

  it('reads HTML entities a plugin left outside CDATA, and refuses undefined ones', async () => {
    const head =
      '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>';
    const tail = '</title><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>';
    const ok = join(scratch, 'entities.xml');
    writeFileSync(ok, `${head}Fish&nbsp;&amp;&nbsp;chips &mdash; a review${tail}`);
    const { posts } = await readAll(ok);
    expect(posts[0].title).toBe('Fish & chips — a review');
    const bad = join(scratch, 'bad-entity.xml');
    writeFileSync(bad, `${head}Fish &bogus; chips${tail}`);
    expect((await formatError(bad)).element).toMatch(/^<title> at line 1/);
  });
});
