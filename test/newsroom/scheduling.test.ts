import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/articles/scheduler.js';
import { toZoneInput } from '../../src/newsroom/article.form.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { articleForm, getPage, idFromLocation, postForm } from './newsroom.helpers.js';

const ZONE = 'America/New_York';

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

describe.each(DIALECTS)('scheduling from the newsroom on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  let section: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics' });
    await saveSettings(h.t.db, { timeZone: ZONE });
    h.app.gazette.invalidateSettings();
    section = String((await h.t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id);
    editor = await loginAs(h.app, h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const schedule = async (slug: string, at: Date) => {
    const res = await postForm(
      h.app,
      editor,
      '/admin/articles',
      articleForm({ section, slug, headline: `Embargo ${slug}`, action: 'schedule', published: toZoneInput(at.toISOString(), ZONE) }),
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    return idFromLocation(res.headers.location);
  };
  const isPublic = async (slug: string) => (await getPage(h.app, null, `/politics/${slug}`)).statusCode === 200;

  it('reads the time in the site time zone and stores it in UTC', async () => {
    const id = await schedule('zone-check', new Date('2031-07-04T16:00:00Z'));
    const row = await h.t.db.selectFrom('articles').select(['published_at', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'scheduled', published_at: '2031-07-04T16:00:00.000Z' });
    const page = await getPage(h.app, editor, `/admin/articles/${id}/edit`);
    // 16:00 UTC is noon in New York in July.
    expect(page.body).toContain('value="2031-07-04T12:00:00"');
    expect(page.body).toContain(ZONE);
  });

  it('publishes an article scheduled 2 seconds ahead without a restart', async () => {
    const scheduler = startScheduler(h.t.db, { intervalMs: 200 });
    try {
      await schedule('two-seconds-ahead', new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000));
      expect(await isPublic('two-seconds-ahead')).toBe(false);
      const waited = await until(() => isPublic('two-seconds-ahead'), 6000);
      expect(waited).toBeGreaterThan(500);
    } finally {
      scheduler.stop();
    }
  });

  it('publishes right after start an article that fell due while the server was down', async () => {
    // Scheduled for one second ahead with no scheduler running ("the server is down")…
    await schedule('due-while-down', new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000));
    await new Promise((r) => setTimeout(r, 2100));
    expect(await isPublic('due-while-down')).toBe(false);
    // …and a long interval, so only the catch-up at start can publish it.
    const scheduler = startScheduler(h.t.db, { intervalMs: 60_000 });
    try {
      await until(() => isPublic('due-while-down'), 1500);
      const events = await h.t.db
        .selectFrom('events')
        .select(['type', 'payload'])
        .where('type', '=', 'article.published')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(events.payload)).toMatchObject({ slug: 'due-while-down', scheduled: true });
    } finally {
      scheduler.stop();
    }
  });
});
