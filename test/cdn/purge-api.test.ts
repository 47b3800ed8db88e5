import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/events.js';
import { type CachedApp, createCachedApp } from '../cache/cache.helpers.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { eventually, type Recorder, startRecorder } from './recorder.js';

const SETTINGS = {
  fastly: { GAZETTE_CDN: 'fastly', GAZETTE_FASTLY_SERVICE: 'svc-123', GAZETTE_FASTLY_TOKEN: 'fastly-token-abc' },
  cloudflare: { GAZETTE_CDN: 'cloudflare', GAZETTE_CLOUDFLARE_ZONE: 'zone-9', GAZETTE_CLOUDFLARE_TOKEN: 'cf-token-xyz' },
};

/** A first article makes its section and author (a purge of everything); after this, articles purge their keys. */
async function settled(h: CachedApp, api: Recorder) {
  await makeArticle(h.t.db, { headline: 'First Of All' });
  await h.app.pageCache.sync();
  await eventually(() => api.calls.length > 0);
  api.calls.length = 0;
}

/** The app built while these settings are in the environment (as `gazette serve` reads them); the settings stay for the test. */
async function appWith(dialect: 'sqlite' | 'postgres', env: Record<string, string>) {
  Object.assign(process.env, env);
  return createCachedApp(dialect, { pollMs: 60_000 });
}

describe.each(DIALECTS)('CDN purge APIs on %s', (dialect) => {
  let api: Recorder;
  beforeAll(async () => {
    api = await startRecorder();
  });
  afterAll(async () => {
    for (const env of Object.values(SETTINGS)) for (const name of Object.keys(env)) delete process.env[name];
    delete process.env.GAZETTE_CDN_API_URL;
    await api.close();
  });

  describe('Fastly', () => {
    let h: CachedApp;
    beforeAll(async () => {
      h = await appWith(dialect, { ...SETTINGS.fastly, GAZETTE_CDN_API_URL: api.url });
      await settled(h, api);
    });
    afterAll(() => h.close());

    it('purges the keys of a changed article by Surrogate-Key, and everything on a site-wide change', async () => {
      const page = await h.app.inject('/');
      expect(page.headers['surrogate-key']).toContain('latest');
      expect(page.headers['cache-tag']).toBeUndefined();
      const a = await makeArticle(h.t.db, { headline: 'Tram Line Approved' });
      await h.app.pageCache.sync();
      await eventually(() => api.calls.some((c) => c.path.endsWith('/purge')));
      const call = api.calls.find((c) => c.path.endsWith('/purge'))!;
      expect(call.method).toBe('POST');
      expect(call.path).toBe('/service/svc-123/purge');
      expect(call.headers['fastly-key']).toBe('fastly-token-abc');
      expect(String(call.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining([`article:${a.id}`, 'latest', 'home']));
      await h.t.db.transaction().execute((trx) => recordEvent(trx, 'settings.changed', null, { keys: ['siteName'] }));
      await h.app.pageCache.sync();
      await eventually(() => api.calls.some((c) => c.path === '/service/svc-123/purge_all'));
      expect(api.calls.find((c) => c.path.endsWith('/purge_all'))?.headers['fastly-key']).toBe('fastly-token-abc');
    });
  });

  describe('Cloudflare', () => {
    let h: CachedApp;
    beforeAll(async () => {
      for (const name of Object.keys(SETTINGS.fastly)) delete process.env[name];
      h = await appWith(dialect, { ...SETTINGS.cloudflare, GAZETTE_CDN_API_URL: api.url });
      await settled(h, api);
    });
    afterAll(() => h.close());

    it('tags pages with Cache-Tag, on a render and on a hit', async () => {
      const a = await makeArticle(h.t.db, { headline: 'Night Buses Return' });
      const path = `/politics/${a.slug}`;
      const first = await h.app.inject(path);
      const hit = await h.app.inject(path);
      expect(hit.headers['x-cache']).toBe('HIT');
      for (const res of [first, hit]) {
        const tags = String(res.headers['cache-tag']).split(',');
        expect(tags).toContain(`article:${a.id}`);
        expect(tags).toEqual(String(res.headers['surrogate-key']).split(' '));
      }
    });

    it('purges by tags with the zone token, and everything on a site-wide change', async () => {
      api.calls.length = 0;
      const a = await makeArticle(h.t.db, { headline: 'Ferry Fares Frozen' });
      await h.app.pageCache.sync();
      await eventually(() => api.calls.some((c) => c.body.includes('"tags"')));
      const call = api.calls.find((c) => c.body.includes('"tags"'))!;
      expect(call.method).toBe('POST');
      expect(call.path).toBe('/client/v4/zones/zone-9/purge_cache');
      expect(call.headers.authorization).toBe('Bearer cf-token-xyz');
      expect(call.headers['content-type']).toBe('application/json');
      const body = JSON.parse(call.body) as { tags: string[] };
      expect(body.tags).toEqual(expect.arrayContaining([`article:${a.id}`, 'latest']));
      expect(body.tags.length).toBeLessThanOrEqual(30);
      await h.t.db.transaction().execute((trx) => recordEvent(trx, 'settings.changed', null, { keys: ['siteName'] }));
      await h.app.pageCache.sync();
      await eventually(() => api.calls.some((c) => c.body.includes('purge_everything')));
      expect(JSON.parse(api.calls.at(-1)?.body ?? '{}')).toEqual({ purge_everything: true });
    });
  });
});
