import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorOf } from '../../src/analytics/beacon.routes.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.each(DIALECTS)('who sees which figures on %s', (dialect) => {
  let h: TestApp;
  let writer: StaffSession & { userId: number };
  let writerToken: string;
  let own: number;
  let other: number;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    writer = await loginAs(h.app, h.t.db, 'writer');
    const o = await makeArticle(h.t.db, { section: 'Politics', slug: 'writers-own', headline: 'The writer’s own story' });
    await h.t.db.updateTable('articles').set({ created_by: writer.userId }).where('id', '=', o.id).execute();
    own = o.id;
    other = (await makeArticle(h.t.db, { section: 'Politics', slug: 'someone-elses', headline: 'Someone else’s story' })).id;
    const { createToken } = await import('../../src/users/token.service.js');
    writerToken = (await createToken(h.t.db, { name: 'writer token', role: 'writer', userId: writer.userId })).token;
    for (const path of ['/politics/writers-own', '/politics/someone-elses', '/politics/someone-elses']) {
      await h.app.inject({ method: 'POST', url: '/api/v1/beacon', headers: { 'user-agent': UA }, payload: { type: 'view', path } });
    }
    await collectorOf(h.app.gazette).flush();
  });
  afterAll(() => h.close());

  it('writers see their own articles only; editors and admins everything; moderators nothing', async () => {
    const mine = await h.app.inject({ url: '/admin/analytics?range=today', headers: { cookie: writer.cookie } });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('The writer’s own story');
    expect(mine.body).not.toContain('Someone else’s story');
    expect(mine.body).not.toContain('Privacy settings');
    expect((await h.app.inject({ url: `/admin/analytics/articles/${own}`, headers: { cookie: writer.cookie } })).statusCode).toBe(200);
    const othersPage = await h.app.inject({
      url: `/admin/analytics/articles/${other}`,
      headers: { cookie: writer.cookie, accept: 'text/html' },
    });
    expect(othersPage.statusCode).toBe(403);
    expect(othersPage.headers['content-type']).toContain('text/html');
    expect(othersPage.body).toContain('Writers see the figures of their own articles only.');
    expect(othersPage.body).not.toContain('Someone else’s story');
    const othersCsv = await h.app.inject({ url: `/admin/analytics/articles/${other}/export.csv`, headers: { cookie: writer.cookie } });
    expect(othersCsv.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/admin/analytics/articles/999999', headers: { cookie: writer.cookie } })).statusCode).toBe(404);
    const csv = await h.app.inject({ url: '/admin/analytics/export.csv?range=today', headers: { cookie: writer.cookie } });
    expect(csv.body).not.toContain('someone-elses');

    const editor = await loginAs(h.app, h.t.db, 'editor');
    const all = await h.app.inject({ url: '/admin/analytics?range=today', headers: { cookie: editor.cookie } });
    expect(all.body).toContain('Someone else’s story');
    expect(all.body).toContain('href="/admin/analytics"');

    const moderator = await loginAs(h.app, h.t.db, 'moderator');
    expect((await h.app.inject({ url: '/admin/analytics', headers: { cookie: moderator.cookie } })).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/admin/analytics/articles/${own}`, headers: { cookie: moderator.cookie } })).statusCode).toBe(403);
    const anon = await h.app.inject({ url: '/admin/analytics' });
    expect(anon.statusCode).toBe(303);
  });

  it('the stats API: 401 without a token, 403 for moderators, writers only their own', async () => {
    const get = (url: string, token?: string) => h.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get(`/api/v1/stats/articles/${own}`)).statusCode).toBe(401);
    expect((await get('/api/v1/stats/top')).statusCode).toBe(401);
    const mod = await makeToken(h.t.db, 'moderator');
    expect((await get(`/api/v1/stats/articles/${own}`, mod)).statusCode).toBe(403);
    expect((await get('/api/v1/stats/top', mod)).statusCode).toBe(403);
    const mine = await get(`/api/v1/stats/articles/${own}`, writerToken);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().views).toBe(1);
    const others = await get(`/api/v1/stats/articles/${other}`, writerToken);
    expect(others.statusCode).toBe(403);
    expect(others.headers['content-type']).toContain('application/json');
    expect(others.json().error).toMatchObject({ code: 'forbidden', message: 'Writers see the figures of their own articles only.' });
    expect(others.body).not.toContain('views');
    const missing = await get('/api/v1/stats/articles/999999', writerToken);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const noToken = await get(`/api/v1/stats/articles/${other}`);
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().error.code).toBe('unauthorized');
    const modOther = await get(`/api/v1/stats/articles/${other}`, mod);
    expect(modOther.statusCode).toBe(403);
    expect(modOther.json().error.code).toBe('forbidden');
    const top = (await get('/api/v1/stats/top', writerToken)).json();
    expect(top.articles.map((a: { id: number }) => a.id)).toEqual([own]);
    const ed = await makeToken(h.t.db, 'editor');
    const everything = (await get('/api/v1/stats/top', ed)).json();
    expect(everything.articles.map((a: { id: number; views: number }) => [a.id, a.views])).toEqual([
      [other, 2],
      [own, 1],
    ]);
    expect((await get('/api/v1/stats/articles/999999', ed)).statusCode).toBe(404);
  });

  it('administrators change the privacy settings with the CSRF token; bad values are refused', async () => {
    const admin = await loginAs(h.app, h.t.db, 'admin');
    const post = (payload: Record<string, string>) =>
      h.app.inject({
        method: 'POST',
        url: '/admin/analytics/settings',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(payload).toString(),
      });
    expect((await post({ privacySignals: 'anonymous', retentionDays: '14' })).statusCode).toBe(403);
    const ok = await post({ _csrf: admin.csrf, privacySignals: 'anonymous', retentionDays: '14' });
    expect(ok.statusCode).toBe(303);
    const s = await h.app.gazette.settings();
    expect([s.analyticsPrivacySignals, s.analyticsRetentionDays]).toEqual(['anonymous', 14]);
    const badSignal = await post({ _csrf: admin.csrf, privacySignals: 'sometimes', retentionDays: '21' });
    expect(badSignal.statusCode).toBe(422);
    expect(badSignal.headers['content-type']).toContain('text/html');
    expect(badSignal.body).toContain('<h1>Analytics</h1>');
    expect(badSignal.body).toMatch(/<p class="field-error" id="privacySignals-error">Choose how privacy signals are honoured\.<\/p>/);
    expect(badSignal.body).toMatch(/<fieldset id="f-privacySignals"[^>]*aria-invalid="true"/);
    expect(badSignal.body).toMatch(/name="retentionDays"[^>]*value="21"/);
    expect(badSignal.body).not.toMatch(/name="privacySignals" value="(skip|anonymous)" checked/);

    const badDays = await post({ _csrf: admin.csrf, privacySignals: 'skip', retentionDays: '0' });
    expect(badDays.statusCode).toBe(422);
    expect(badDays.body).toMatch(/<p class="field-error" id="retentionDays-error">Keep raw beacons between 1 and 400 days\.<\/p>/);
    expect(badDays.body).toMatch(/id="f-retentionDays"[^>]*value="0"[^>]*aria-invalid="true"/);
    expect(badDays.body).toMatch(/name="privacySignals" value="skip" checked/);
    expect(badDays.body).toContain('href="#f-retentionDays"');
    expect(badDays.body).not.toContain('field-error" id="privacySignals-error');

    const words = await post({ _csrf: admin.csrf, privacySignals: 'anonymous', retentionDays: '<b>9</b>' });
    expect(words.statusCode).toBe(422);
    expect(words.body).toContain('value="&lt;b>9&lt;/b>"');
    expect(words.body).not.toContain('<b>9');
    // Nothing refused was saved.
    const kept = await h.app.gazette.settings();
    expect([kept.analyticsPrivacySignals, kept.analyticsRetentionDays]).toEqual(['anonymous', 14]);
    const editor = await loginAs(h.app, h.t.db, 'editor');
    const refused = await h.app.inject({
      method: 'POST',
      url: '/admin/analytics/settings',
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${editor.csrf}&privacySignals=skip&retentionDays=30`,
    });
    expect(refused.statusCode).toBe(403);
  });
});
