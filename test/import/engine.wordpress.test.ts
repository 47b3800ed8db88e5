import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/import/import.service.js';
import { readWordPress } from '../../src/import/wordpress/wordpress.reader.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

// The WordPress export and uploads are the reader's fixtures; this file checks what the engine makes of them.
const WP = fileURLToPath(new URL('../fixtures/import/wordpress/', import.meta.url));

describe.each(DIALECTS)('importing a WordPress export through the engine on %s', (dialect) => {
  let h: TestApp;
  const get = (url: string, cookie?: string) => h.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(() => h.close());

  it('maps statuses, sections, comments, media and old addresses', async () => {
    const report = await runImport(h.t.db, {
      source: 'wordpress',
      open: () => readWordPress(join(WP, 'harbour-times-1.2.xml')),
      media: join(WP, 'uploads'),
      sectionMap: { business: 'Economy' },
      mediaRoot: join(h.t.dataDir, 'media'),
      batchSize: 2,
    });
    // Trash is skipped (and said why); private posts come in as drafts, never public.
    expect(report.skipped).toEqual([expect.objectContaining({ kind: 'post', why: 'in the trash' })]);
    expect(report.counts.post).toMatchObject({ imported: 7, skipped: 1 });
    expect(report.counts.page.imported).toBe(1);
    expect(report.missingMedia.map((m) => m.url)).toContain('https://harbourtimes.example/wp-content/uploads/2024/03/missing-trawler.jpg');
    expect(report.warnings.map((w) => w.message)).toContain('unknown shortcode [newsletter_signup] kept as text');
    // A post's own short link (/?p=101) is answered from the import map (test/import/shortlinks.test.ts), not listed here.
    expect(report.redirectsSkipped.some((r) => r.from === '/?p=101')).toBe(false);

    const status = async (slug: string) =>
      (await h.t.db.selectFrom('articles').select('status').where('slug', '=', slug).executeTakeFirst())?.status;
    expect(await status('council-approves-harbour-crane')).toBe('published');
    expect(await status('draft-harbour-dredging-tender')).toBe('draft');
    expect(await status('lifeboat-crew-honoured')).toBe('in_review');
    expect(await status('budget-day-live')).toBe('scheduled');
    expect(await status('staff-note')).toBe('draft');
    expect(await status('fish-market-rumour')).toBeUndefined();

    // The primary category is the section, the others are tags; a mapped category goes where it was told.
    const crane = await get('/council-and-politics/council-approves-harbour-crane');
    expect(crane.statusCode).toBe(200);
    expect(crane.body).toContain('href="/tag/business"');
    expect(crane.body).toMatch(/<img src="\/media\/[^"]+" alt="The old crane at dusk"/);
    expect(crane.body).toContain('The crane has worked the north quay since 1979.');

    // Approved comments show with their thread; pending wait in the desk; spam and rejected stay hidden.
    const comments = await h.t.db.selectFrom('comments').select(['status', 'depth']).orderBy('id').execute();
    expect(comments.map((c) => c.status).sort()).toEqual(['approved', 'approved', 'pending', 'rejected', 'spam']);
    expect(Math.max(...comments.map((c) => c.depth))).toBe(2);
    const moderator = await loginAs(h.app, h.t.db, 'moderator');
    const desk = await get('/admin/comments', moderator.cookie);
    expect(desk.statusCode).toBe(200);
    expect(comments.some((c) => c.status === 'pending')).toBe(true);
    const pending = await h.t.db.selectFrom('comments').select('body').where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(desk.body).toContain(pending.body.slice(0, 20).replace(/&/g, '&amp;'));

    // Old permalinks, category and tag archives and feeds answer 301.
    for (const [from, to] of [
      ['/2024/03/12/council-approves-harbour-crane/', '/council-and-politics/council-approves-harbour-crane'],
      ['/about/', '/pages/about'],
      ['/category/local/council/', '/council-and-politics'],
      ['/category/local/council/feed/', '/council-and-politics/feed.xml'],
      ['/feed/', '/feed.xml'],
    ]) {
      const res = await get(from);
      expect(res.statusCode, from).toBe(301);
      expect(res.headers.location, from).toBe(to);
    }
    expect((await get('/2024/03/10/staff-note/')).statusCode).toBe(404);
  });
});
