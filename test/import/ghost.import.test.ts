import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readGhost } from '../../src/import/ghost/ghost.reader.js';
import { ImportFormatError } from '../../src/import/import.model.js';
import { runImport } from '../../src/import/import.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const FIXTURES = fileURLToPath(new URL('../fixtures/import/ghost/', import.meta.url));
const TABLES = ['articles', 'comments', 'media', 'people', 'sections', 'tags', 'redirects', 'article_revisions', 'import_map'] as const;

describe.each(DIALECTS)('importing a Ghost export on %s', (dialect) => {
  let h: TestApp;
  let dir: string;
  const mediaRoot = () => join(h.t.dataDir, 'media');
  const get = (url: string) => h.app.inject({ url, headers: { accept: 'text/html' } });
  const ghost = (file: string, extra: Partial<Parameters<typeof runImport>[1]> = {}) =>
    runImport(h.t.db, { source: 'ghost', open: () => readGhost(file), media: join(FIXTURES, 'media'), mediaRoot: mediaRoot(), ...extra });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const row = await h.t.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  }

  beforeAll(async () => {
    h = await createTestApp(dialect);
    dir = mkdtempSync(join(tmpdir(), 'gazette-ghost-'));
  });
  afterAll(() => h.close());

  it('a dry run reads everything, reports what it would do and writes nothing', async () => {
    const before = await counts();
    const report = await ghost(join(FIXTURES, 'harbour-v5.json'), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.counts.post).toEqual({ imported: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.counts.page.imported).toBe(1);
    expect(report.counts.comment.imported).toBe(3);
    expect(report.missingMedia.map((m) => m.url)).toEqual(['https://harbour.test/content/images/2024/04/gone.jpg']);
    expect(await counts()).toEqual(before);
  });

  it('imports posts, pages, people, tags, hero and body images, comments and old addresses', async () => {
    const report = await ghost(join(FIXTURES, 'harbour-v5.json'));
    expect(report.counts.post).toEqual({ imported: 4, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.counts.page).toEqual({ imported: 1, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.counts.comment).toEqual({ imported: 3, updated: 0, unchanged: 0, skipped: 0 });
    expect(report.counts.media.imported).toBe(2);
    expect(report.missingMedia.map((m) => m.url)).toEqual(['https://harbour.test/content/images/2024/04/gone.jpg']);

    const articles = await h.t.db.selectFrom('articles').selectAll().orderBy('id').execute();
    const bySlug = new Map(articles.map((a) => [a.slug, a]));
    expect(bySlug.get('night-ferry-returns')?.status).toBe('published');
    expect(bySlug.get('harbour-fees')?.status).toBe('draft');
    expect(bySlug.get('lighthouse-open-day')).toMatchObject({ status: 'scheduled', published_at: '2030-05-01T10:00:00.000Z' });
    const ferry = bySlug.get('night-ferry-returns');
    expect(ferry).toMatchObject({ published_at: '2024-03-01T09:00:00.000Z', created_at: '2024-03-01T08:00:00.000Z' });
    expect(ferry?.standfirst).toBe('The 23:10 sailing is back on the timetable.');
    expect(ferry?.hero_media_id).not.toBeNull();
    expect(ferry?.hero_alt).toBe('The ferry at the pier');
    expect(ferry?.hero_caption).toBe('The Skerry Star at the pier.');
    // The body's image now lives in the media library; the old host is not asked for anything.
    expect(ferry?.body_html).toMatch(/<img src="\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\/\d+\.jpg" alt="The quay at dusk"/);
    expect(ferry?.body_html).not.toContain('content/images');
    expect(ferry?.body_html).toContain('line one\n\nline three');

    // The page renders with its byline in Ghost's order, its hero, and the approved comments only.
    const page = await get('/ferries/night-ferry-returns');
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('Tomás Lindqvist')).toBeGreaterThan(-1);
    expect(page.body.indexOf('Tomás Lindqvist')).toBeLessThan(page.body.indexOf('Marta Okafor'));
    expect(page.body).toContain('Finally! The last bus was never enough.');
    expect(page.body).toContain('Agreed &amp; about time.');
    expect(page.body).not.toContain('Buy cheap watches');
    const reply = await h.t.db.selectFrom('comments').selectAll().where('body', '=', 'Agreed & about time.').executeTakeFirstOrThrow();
    const parent = await h.t.db.selectFrom('comments').selectAll().where('body', 'like', 'Finally!%').executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ parent_id: parent.id, root_id: parent.id, depth: 1, created_at: '2024-03-01T12:00:00.000Z' });

    // Pages are articles of a "Pages" section; the primary tag became the section, the other a tag.
    expect((await get('/pages/about')).statusCode).toBe(200);
    expect((await get('/tag/harbour')).statusCode).toBe(200);
    expect(await h.t.db.selectFrom('tags').select('name').where('name', 'like', '#%').execute()).toEqual([]);

    // Old addresses answer 301 to the new ones.
    for (const [from, to] of [
      ['/night-ferry-returns/', '/ferries/night-ferry-returns'],
      ['/about/', '/pages/about'],
      ['/tag/ferries/', '/ferries'],
      ['/rss/', '/feed.xml'],
      ['/tag/ferries/rss/', '/ferries/feed.xml'],
      ['/author/marta/', '/author/marta-okafor'],
      ['/author/tomas/rss/', '/author/tomas-lindqvist/feed.xml'],
    ]) {
      const res = await get(from);
      expect(res.statusCode, from).toBe(301);
      expect(res.headers.location, from).toBe(to);
    }
    // Drafts and scheduled posts were not public: no redirect from their old address.
    expect((await get('/harbour-fees/')).statusCode).toBe(404);

    // Search, feeds and the sitemap list the imported articles; narration is queued for the published ones.
    expect((await get('/search?q=customs')).body).toContain('/harbour/fish-market-moves');
    expect((await get('/feed.xml')).body).toContain('/ferries/night-ferry-returns');
    expect((await get('/sitemaps/articles-1.xml')).body).toContain('/ferries/night-ferry-returns');
    const jobs = await h.t.db.selectFrom('jobs').select('payload').where('type', '=', 'narration.generate').execute();
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    // Every imported article has its revision; the end of the import is an event.
    const revisions = await h.t.db.selectFrom('article_revisions').select('article_id').execute();
    expect(new Set(revisions.map((r) => r.article_id)).size).toBe(articles.length);
    expect(await h.t.db.selectFrom('events').select('id').where('type', '=', 'import.finished').execute()).toHaveLength(1);
  });

  it('strips scripts, frames, event attributes, javascript: links and third-party images from imported HTML', async () => {
    const row = await h.t.db.selectFrom('articles').selectAll().where('slug', '=', 'fish-market-moves').executeTakeFirstOrThrow();
    for (const text of [row.body_html, row.body_md]) {
      expect(text).not.toMatch(/<script|<iframe|onclick|onerror|javascript:|<img[^>]*tracker/i);
    }
    expect(row.body_html).toContain('<strong>inside the old customs house</strong>');
    const page = await get('/harbour/fish-market-moves');
    expect(page.body).not.toContain("alert('owned')");
  });

  it('importing again duplicates nothing; a changed title updates the article with a new revision', async () => {
    const before = await counts();
    const again = await ghost(join(FIXTURES, 'harbour-v5.json'));
    expect(again.counts.post).toEqual({ imported: 0, updated: 0, unchanged: 4, skipped: 0 });
    expect(again.counts.comment.unchanged).toBe(3);
    expect(await counts()).toEqual(before);

    const doc = JSON.parse(readFileSync(join(FIXTURES, 'harbour-v5.json'), 'utf8'));
    doc.db[0].data.posts[0].title = 'Night ferry is back for good';
    // A comment hidden on the old site was let through there since.
    doc.db[0].data.comments.find((c: { id: string }) => c.id === 'c3').status = 'published';
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(doc));
    const preview = await ghost(changed, { dryRun: true });
    expect(preview.counts.post).toMatchObject({ updated: 1, unchanged: 3 });
    const third = await ghost(changed);
    expect(third.counts.post).toEqual({ imported: 0, updated: 1, unchanged: 3, skipped: 0 });
    expect(third.counts.comment).toEqual({ imported: 0, updated: 1, unchanged: 2, skipped: 0 });
    const after = await counts();
    expect(after.articles).toBe(before.articles);
    expect(after.article_revisions).toBe(before.article_revisions + 1);
    const page = await get('/ferries/night-ferry-returns');
    expect(page.body).toContain('Night ferry is back for good');
    expect(page.body).toContain('Buy cheap watches');
  });

  it('takes the media from a zip too; refuses a zip with a path outside the folder or a zip bomb, writing nothing', async () => {
    const report = await ghost(join(FIXTURES, 'bridge-v4.json'), { media: join(FIXTURES, 'media.zip') });
    expect(report.counts.post.imported).toBe(2);
    expect(report.missingMedia).toEqual([]);
    const bridge = await h.t.db.selectFrom('articles').selectAll().where('slug', '=', 'bridge-repairs').executeTakeFirstOrThrow();
    expect(bridge.body_html).toMatch(/<img src="\/media\//);
    expect(bridge.body_html).toContain('<td>06:12</td>');

    const before = await counts();
    for (const [zip, message] of [
      ['escape.zip', 'outside the upload folder'],
      ['bomb.zip', 'zip bomb'],
    ]) {
      const error = await ghost(join(FIXTURES, 'harbour-v5.json'), { media: join(FIXTURES, zip) }).catch((e) => e);
      expect(error).toBeInstanceOf(ImportFormatError);
      expect(error.message).toContain(zip);
      expect(error.message).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('an unsupported export fails before anything is written', async () => {
    const before = await counts();
    await expect(ghost(join(FIXTURES, 'old-v3.json'))).rejects.toThrow(/db\[0\]\.meta\.version/);
    expect(await counts()).toEqual(before);
  });

  it('pages can be skipped', async () => {
    const copy = join(dir, 'pages.json');
    cpSync(join(FIXTURES, 'harbour-v5.json'), copy);
    const report = await ghost(copy, { pages: 'skip', dryRun: true });
    expect(report.counts.page).toMatchObject({ imported: 0, skipped: 1 });
    expect(report.skipped[0]).toMatchObject({ kind: 'page', why: 'pages are skipped (--pages skip)' });
  });
});
