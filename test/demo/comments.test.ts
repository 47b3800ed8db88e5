import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_COMMENTS } from '../../src/demo/content/comments.js';
import { loadDemo } from '../../src/demo/demo.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

// The illustrations are not what these tests are about: one small picture for every article
// (its variants are then made once and found on disk for the others).
vi.mock('../../src/demo/hero.js', () => ({
  drawHero: () =>
    sharp({ create: { width: 160, height: 90, channels: 3, background: '#3a6b8c' } })
      .png()
      .toBuffer(),
}));

const all = Object.values(DEMO_COMMENTS).flat();
const expected = {
  approved: all.filter((c) => c.status === 'approved').length,
  pending: all.filter((c) => c.status === 'pending').length,
  reported: all.filter((c) => c.reports?.length).length,
};

describe.each(DIALECTS)('the demo newsroom’s comments on %s', (dialect) => {
  let h: TestApp;
  let mod: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await loadDemo(h.t.db, { mediaRoot: h.app.gazette.mediaRoot });
    mod = await loginAs(h.app, h.t.db, 'moderator');
  }, 120_000);
  afterAll(() => h.close());

  it('has threads of approved comments, pending ones, reported ones and one held for its links', async () => {
    expect(expected.approved).toBeGreaterThanOrEqual(20);
    expect(expected.pending).toBeGreaterThanOrEqual(5);
    expect(expected.reported).toBeGreaterThanOrEqual(2);
    const rows = await h.t.db.selectFrom('comments').selectAll().execute();
    expect(rows).toHaveLength(all.length);
    const count = (status: string) => rows.filter((r) => r.status === status).length;
    expect(count('approved')).toBe(expected.approved);
    expect(count('pending')).toBe(expected.pending);
    expect(rows.filter((r) => r.open_reports > 0)).toHaveLength(expected.reported);
    const reports = await h.t.db.selectFrom('comment_reports').selectAll().execute();
    expect(reports).toHaveLength(all.reduce((n, c) => n + (c.reports?.length ?? 0), 0));
    for (const r of rows.filter((x) => x.open_reports > 0)) {
      expect(reports.filter((x) => x.comment_id === r.id)).toHaveLength(r.open_reports);
    }
    const held = rows.filter((r) => JSON.parse(r.reasons).length > 0);
    expect(held).toHaveLength(1);
    expect(held[0].status).toBe('pending');
    expect(JSON.parse(held[0].reasons)).toEqual(['3 links (limit 2)']);
    // Spread over several articles, each comment after its article's publication and before now.
    const articles = await h.t.db.selectFrom('articles').select(['id', 'slug', 'published_at']).execute();
    const published = new Map(articles.map((a) => [a.id, a.published_at ?? '']));
    expect(new Set(rows.map((r) => r.article_id)).size).toBe(Object.keys(DEMO_COMMENTS).length);
    for (const r of rows) {
      expect(r.created_at > (published.get(r.article_id) ?? '')).toBe(true);
      expect(r.created_at <= new Date().toISOString()).toBe(true);
    }
    // Commenters: one per email, their approved counts as moderation keeps them.
    const commenters = await h.t.db.selectFrom('commenters').selectAll().execute();
    expect(commenters).toHaveLength(new Set(all.map((c) => c.email)).size);
    const ruth = commenters.find((c) => c.name === 'Ruth Achterberg');
    expect(Number(ruth?.approved_count)).toBe(2);
    // Events as the comment service records them (purges and counts follow from these).
    const events = await h.t.db.selectFrom('events').select('type').where('type', 'like', 'comment.%').execute();
    const n = (t: string) => events.filter((e) => e.type === t).length;
    expect(n('comment.submitted')).toBe(all.length);
    expect(n('comment.approved')).toBe(expected.approved);
    expect(n('comment.reported')).toBe(reports.length);
  });

  it('links each reply to its parent and its thread', async () => {
    const rows = await h.t.db.selectFrom('comments').selectAll().orderBy('id').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const replies = rows.filter((r) => r.parent_id !== null);
    expect(replies.length).toBe(all.filter((c) => c.replyTo).length);
    for (const reply of replies) {
      const parent = byId.get(reply.parent_id as number);
      expect(parent?.article_id).toBe(reply.article_id);
      expect(reply.depth).toBe((parent?.depth ?? -1) + 1);
      expect(reply.root_id).toBe(parent?.root_id);
      expect(reply.created_at > (parent?.created_at ?? '')).toBe(true);
    }
    for (const top of rows.filter((r) => r.parent_id === null)) expect(top.root_id).toBe(top.id);
    // A named one: the answer to the question about the levy's pamphlet.
    const answer = rows.find((r) => r.name === 'Dev Raman');
    expect(byId.get(answer?.parent_id as number)?.name).toBe('Marguerite Okafor');
    // Threads show on the article page: the approved ones, never the pending ones.
    const page = await h.app.inject({ url: '/politics/transit-levy-heads-to-november-ballot', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const levy = all.filter((c) => DEMO_COMMENTS['transit-levy-heads-to-november-ballot'].includes(c));
    expect(page.body).toContain(`Discussion (${levy.filter((c) => c.status === 'approved').length} Comments)`);
    expect(page.body).toContain('September is cutting it close');
    expect(page.body).not.toContain('Fix the schedules first');
  });

  it('fills the desk’s pending and reported queues', async () => {
    const pending = await h.app.inject({ url: '/admin/comments?queue=pending', headers: { cookie: mod.cookie } });
    expect(pending.statusCode).toBe(200);
    for (const c of all.filter((x) => x.status === 'pending')) expect(pending.body).toContain(c.email);
    expect(pending.body).toContain('Held because: 3 links (limit 2)');
    const reported = await h.app.inject({ url: '/admin/comments?queue=reported', headers: { cookie: mod.cookie } });
    expect(reported.statusCode).toBe(200);
    for (const c of all.filter((x) => x.reports?.length)) {
      expect(reported.body).toContain(c.email);
      for (const r of c.reports ?? []) expect(reported.body).toContain(r.reason);
    }
  });

  it('loading the demo again adds no second set of comments', async () => {
    const before = await h.t.db.selectFrom('comments').select('id').execute();
    const { loadDemoComments } = await import('../../src/demo/comments.js');
    const articles = await h.t.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'sections.slug as section'])
      .execute();
    const added = await loadDemoComments(
      h.t.db,
      articles.map((a) => ({ id: a.id, url: `/${a.section}/${a.slug}`, status: 'published' as const })),
    );
    expect(added).toBe(0);
    expect(await h.t.db.selectFrom('comments').select('id').execute()).toHaveLength(before.length);
  });
});
