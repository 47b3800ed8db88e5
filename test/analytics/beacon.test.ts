import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorOf } from '../../src/analytics/beacon.routes.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// Over HTTP the front door answers beacons before Fastify; inject() reaches the Fastify route.
// Both must answer alike.
const CASES = DIALECTS.flatMap((dialect) => (['http', 'inject'] as const).map((transport) => [dialect, transport] as const));

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json: () => { error: { code: string; message: string; field?: string } };
}

describe.each(CASES)('the analytics beacon on %s over %s', (dialect, transport) => {
  let h: TestApp;
  let path: string;
  let articleId: number;
  let origin = '';

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const a = await makeArticle(h.t.db, { section: 'Politics', slug: 'beacon-article' });
    path = '/politics/beacon-article';
    articleId = a.id;
    if (transport === 'http') origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  const send = async (payload: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const all = { 'user-agent': BROWSER, 'content-type': 'text/plain;charset=UTF-8', ...headers };
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (transport === 'inject') return h.app.inject({ method: 'POST', url: '/api/v1/beacon', headers: all, payload: body });
    const res = await fetch(`${origin}/api/v1/beacon`, { method: 'POST', headers: all, body });
    const text = await res.text();
    return {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body: text,
      json: () => JSON.parse(text),
    };
  };
  const flush = () => collectorOf(h.app.gazette).flush();
  const views = async () =>
    Number(
      (
        await h.t.db
          .selectFrom('analytics_daily')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('views'), eb.lit(0)).as('n'))
          .where('article_id', '=', articleId)
          .executeTakeFirst()
      )?.n ?? 0,
    );

  it('answers 204 without a cookie, for text/plain (sendBeacon) and JSON bodies, and counts the view', async () => {
    const before = await views();
    const plain = await send({ type: 'view', path, referrer: 'www.google.com', screen: 'm' }, { cookie: 'gz_csrf=abc' });
    expect(plain.statusCode).toBe(204);
    expect(plain.headers['set-cookie']).toBeUndefined();
    expect(plain.body).toBe('');
    const json = await send({ type: 'view', path: `${path}?utm_medium=email` }, { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(204);
    expect(json.headers['set-cookie']).toBeUndefined();
    await flush();
    expect(await views()).toBe(before + 2);
    const raw = await h.t.db.selectFrom('analytics_events').selectAll().where('article_id', '=', articleId).orderBy('id').execute();
    expect(raw.map((r) => [r.type, r.path, r.source, r.referrer_host, r.screen])).toEqual([
      ['view', path, 'search', 'google.com', 'm'],
      ['view', path, 'direct', '', ''],
    ]);
    // Nothing that could identify the reader is in a raw event.
    expect(JSON.stringify(raw)).not.toContain('127.0.0.1');
    expect(JSON.stringify(raw)).not.toContain('Chrome/131');
  });

  it('answers robots, headless browsers and scripts with 204 but does not count them', async () => {
    const before = await views();
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'curl/8.5.0',
      'python-requests/2.31.0',
      'Mozilla/5.0 (compatible; bingbot/2.0)',
      'Wget/1.21',
      '',
    ]) {
      const res = await send({ type: 'view', path }, { 'user-agent': ua });
      expect(res.statusCode, ua).toBe(204);
    }
    expect(collectorOf(h.app.gazette).size).toBe(0);
    await flush();
    expect(await views()).toBe(before);
  });

  it('refuses bad beacons quickly with 400/413/422 and a JSON message, never 500', async () => {
    const cases: [unknown, number][] = [
      ['not json', 400],
      ['[1,2]', 400],
      [{ type: 'nope', path }, 422],
      [{ type: 'view' }, 422],
      [{ type: 'view', path: 'http://elsewhere.example/x' }, 422],
      [{ type: 'view', path: '//elsewhere.example/x' }, 422],
      [{ type: 'depth', path, value: 33 }, 422],
      [{ type: 'engaged', path, value: 7 }, 422],
      [{ type: 'engaged', path, value: 100000 }, 422],
      [{ type: 'listen', path, value: 'x' }, 422],
      [{ type: 'comment', path, detail: 'edit' }, 422],
      [{ type: 'view', path, screen: 'xl' }, 422],
      [{ type: 'view', path, referrer: 'https://a.example/<script>' }, 422],
      [{ type: 'view', path: `/${'a'.repeat(600)}` }, 422],
      [{ type: 'view', path, utm_campaign: 'x'.repeat(3000) }, 413],
    ];
    for (const [payload, status] of cases) {
      const res = await send(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(res.json().error.message).toBeTruthy();
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses broken JSON and other content types as a client error', async () => {
    const broken = await send('{"type": "view", ', { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
    const xml = await send('<beacon/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
  });

  it('honours Sec-GPC and DNT: skipped by default, counted without a visitor when set to anonymous', async () => {
    const before = await views();
    expect((await send({ type: 'view', path }, { 'sec-gpc': '1' })).statusCode).toBe(204);
    expect((await send({ type: 'view', path }, { dnt: '1' })).statusCode).toBe(204);
    await flush();
    expect(await views()).toBe(before);
    await h.t.db.transaction().execute((trx) => saveSettings(trx, { analyticsPrivacySignals: 'anonymous' }));
    h.app.gazette.invalidateSettings();
    const visitorsBefore = await h.t.db
      .selectFrom('analytics_visitors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    await send({ type: 'view', path }, { 'sec-gpc': '1', 'user-agent': `${BROWSER} Unique/1` });
    await flush();
    expect(await views()).toBe(before + 1);
    const visitorsAfter = await h.t.db
      .selectFrom('analytics_visitors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(visitorsAfter?.n)).toBe(Number(visitorsBefore?.n));
    await h.t.db.transaction().execute((trx) => saveSettings(trx, { analyticsPrivacySignals: 'skip' }));
    h.app.gazette.invalidateSettings();
  });

  it('leaves the page cache alone and is in the OpenAPI document with the stats routes', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    expect(doc.paths['/api/v1/beacon'].post).toBeTruthy();
    expect(doc.paths['/api/v1/stats/articles/{id}'].get).toBeTruthy();
    expect(doc.paths['/api/v1/stats/top'].get).toBeTruthy();
    const res = await send({ type: 'view', path });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await flush();
  });

  it('leaves other methods to the site: GET is not an endpoint', async () => {
    const res =
      transport === 'inject'
        ? await h.app.inject({ method: 'GET', url: '/api/v1/beacon' })
        : await fetch(`${origin}/api/v1/beacon`).then(async (r) => ({ statusCode: r.status, body: await r.text() }));
    expect([404, 405]).toContain(res.statusCode);
    expect(JSON.parse(res.body).error.message).toBeTruthy();
  });
});
