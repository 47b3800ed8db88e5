import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_NAMES } from '../../src/analytics/analytics.table.js';
import { collectorOf } from '../../src/analytics/beacon.routes.js';
import { type Expected, generateTraffic } from '../fixtures/analytics/traffic.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const today = () => new Date().toISOString().slice(0, 10);

describe.each(DIALECTS)('analytics rollups against a generated traffic script on %s', (dialect) => {
  let h: TestApp;
  let editor: string;
  const ids = new Map<string, number>();
  let expected: Map<string, Expected>;
  let allVisitors: Set<string>;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await makeToken(h.t.db, 'editor');
    for (const [section, slug, author] of [
      ['Politics', 'budget-vote', 'Ana Ruiz'],
      ['Politics', 'mayor-interview', 'Ana Ruiz'],
      ['Sport', 'harbor-derby', 'Tom Lee'],
      ['Culture', 'museum-reopens', 'Tom Lee'],
    ]) {
      const a = await makeArticle(h.t.db, { section, slug, authors: [author], headline: `Headline of ${slug}` });
      ids.set(`/${section.toLowerCase()}/${slug}`, a.id);
    }
    const traffic = generateTraffic([...ids.keys()], 80);
    expected = traffic.expected;
    allVisitors = new Set(traffic.visits.map((v) => `${v.ip}|${v.ua}`));
    // A page that is not an article, and a robot, counted respectively on the site only and not at all.
    traffic.visits.push({ ip: '10.9.9.9', ua: traffic.visits[0].ua, beacon: { type: 'view', path: '/' } });
    traffic.visits.push({
      ip: '10.9.9.8',
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1)',
      beacon: { type: 'view', path: '/politics/budget-vote' },
    });
    allVisitors.add(`10.9.9.9|${traffic.visits[0].ua}`);
    let n = 0;
    for (const v of traffic.visits) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/beacon',
        remoteAddress: v.ip,
        headers: { 'user-agent': v.ua, 'content-type': 'text/plain;charset=UTF-8' },
        payload: JSON.stringify(v.beacon),
      });
      if (res.statusCode !== 204) throw new Error(`${res.statusCode} ${res.body}`);
      // Several flushes, as a running server makes them.
      if (++n % 150 === 0) await collectorOf(h.app.gazette).flush();
    }
    await collectorOf(h.app.gazette).flush();
  });
  afterAll(() => h.close());

  const api = (url: string) => h.app.inject({ url, headers: { authorization: `Bearer ${editor}` } });

  it('the hourly and daily rollups both equal what the raw events add up to', async () => {
    const raw = await h.t.db.selectFrom('analytics_events').selectAll().execute();
    for (const [path, id] of ids) {
      const events = raw.filter((r) => r.article_id === id);
      const hourly = await h.t.db.selectFrom('analytics_hourly').selectAll().where('article_id', '=', id).execute();
      const daily = await h.t.db.selectFrom('analytics_daily').selectAll().where('article_id', '=', id).execute();
      const sum = (rows: Record<string, unknown>[], c: string) => rows.reduce((n, r) => n + Number(r[c]), 0);
      const fromRaw: Record<string, number> = {
        views: events.filter((e) => e.type === 'view').length,
        engaged_seconds: events.filter((e) => e.type === 'engaged').reduce((n, e) => n + e.value, 0),
        depth100: events.filter((e) => e.type === 'depth' && e.value === 100).length,
        listens: events.filter((e) => e.type === 'listen' && e.value === 0).length,
        listen50: events.filter((e) => e.type === 'listen' && e.value === 50).length,
        shares: events.filter((e) => e.type === 'share').length,
        comment_sends: events.filter((e) => e.type === 'comment' && e.detail === 'submit').length,
      };
      for (const [c, n] of Object.entries(fromRaw)) {
        expect(sum(daily, c), `${path} ${c}`).toBe(n);
      }
      for (const c of COUNTER_NAMES) expect(sum(hourly, c), `${path} hourly ${c}`).toBe(sum(daily, c));
    }
  });

  it('the API answers exactly what the script sent, article by article', async () => {
    for (const [path, id] of ids) {
      const e = expected.get(path) as Expected;
      const res = await api(`/api/v1/stats/articles/${id}?from=${today()}&to=${today()}`);
      expect(res.statusCode).toBe(200);
      const s = res.json();
      expect(s.views, path).toBe(e.views);
      expect(s.visitors, path).toBe(e.visitors.size);
      expect(s.depth).toEqual(e.depth);
      expect(s.engaged_seconds).toBe(e.engaged);
      expect(s.shares).toBe(e.shares);
      expect(s.comments).toEqual({ opened: e.commentOpens, submitted: e.commentSends });
      const { average_share, ...listens } = s.listens;
      expect(listens).toEqual(e.listens);
      const reached = e.listens['25'] + e.listens['50'] + e.listens['75'] + e.listens['100'];
      expect(average_share).toBeCloseTo(e.listens.started ? (reached * 0.25) / e.listens.started : 0, 2);
      const sources = Object.fromEntries(s.sources.map((x: { source: string; views: number }) => [x.source, x.views]));
      expect(sources).toEqual(e.sources);
    }
  });

  it('the top list, the site totals and the dashboard show the same numbers', async () => {
    const top = (await api(`/api/v1/stats/top?from=${today()}&to=${today()}`)).json();
    const wanted = [...expected.entries()].sort((a, b) => b[1].views - a[1].views || (ids.get(b[0]) as number) - (ids.get(a[0]) as number));
    expect(top.articles.map((a: { url: string; views: number }) => [a.url, a.views])).toEqual(wanted.map(([p, e]) => [p, e.views]));
    const day = await h.t.db.selectFrom('analytics_days').selectAll().where('day', '=', today()).executeTakeFirstOrThrow();
    expect(Number(day.visitors)).toBe(allVisitors.size);
    expect(Number(day.views)).toBe([...expected.values()].reduce((n, e) => n + e.views, 0) + 1);

    const admin = await loginAs(h.app, h.t.db, 'admin');
    const page = await h.app.inject({ url: '/admin/analytics?range=today', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('<title id="views-chart-t">');
    for (const [path, e] of expected) {
      const id = ids.get(path) as number;
      const row = new RegExp(`data-article="${id}"[\\s\\S]*?data-views="?[^>]*>([\\d,]+)<`).exec(page.body);
      expect(row?.[1].replace(/,/g, ''), path).toBe(String(e.views));
    }
    expect(page.body).toContain(`data-today-visitors="true">${allVisitors.size.toLocaleString('en-US')}<`);
    const csv = await h.app.inject({ url: '/admin/analytics/export.csv?range=today', headers: { cookie: admin.cookie } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toContain('article_id,headline,url,section,views,visitors');
    expect(lines).toHaveLength(expected.size + 1);

    const [path, e] = wanted[0];
    const one = await h.app.inject({ url: `/admin/analytics/articles/${ids.get(path)}`, headers: { cookie: admin.cookie } });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain(`data-views="true">${e.views.toLocaleString('en-US')}<`);
    expect(one.body).toContain('Views per hour');
    const live = await h.app.inject({ url: '/admin/analytics/now', headers: { cookie: admin.cookie } });
    expect(live.json().site).toBe(allVisitors.size);
  });

  it('bad dates answer 422', async () => {
    for (const q of [
      'from=2026-13-01',
      'to=yesterday',
      'from=2026-02-30',
      'from=2026-12-06&to=2026-12-01',
      'from=2020-01-01&to=2026-01-01',
    ]) {
      const res = await api(`/api/v1/stats/top?${q}`);
      expect(res.statusCode, q).toBe(422);
      expect(res.json().error.code).toBe('invalid');
    }
    const res = await api(`/api/v1/stats/articles/${ids.get('/sport/harbor-derby')}?from=nope`);
    expect(res.statusCode).toBe(422);
    const admin = await loginAs(h.app, h.t.db, 'editor');
    const page = (q: string) => h.app.inject({ url: `/admin/analytics?${q}`, headers: { cookie: admin.cookie } });
    const bad = await page('range=custom&from=2026-13-01&to=2026-12-01');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('must be a date written YYYY-MM-DD');
    for (const q of ['range=7d', 'range=30d', `range=custom&from=${today()}&to=${today()}`, 'range=7d&from=2026-01-01']) {
      expect((await page(q)).statusCode, q).toBe(200);
    }
    const csvBad = await h.app.inject({ url: '/admin/analytics/export.csv?range=custom&from=x', headers: { cookie: admin.cookie } });
    expect(csvBad.statusCode).toBe(422);
  });
});
