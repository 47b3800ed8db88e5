import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CachedApp, createCachedApp } from '../cache/cache.helpers.js';
import { loginAs } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postForm } from '../newsroom/newsroom.helpers.js';

const FIELDS = {
  siteDescription: 'News.',
  siteUrl: '',
  locale: 'en-GB',
  timeZone: 'UTC',
  wordsPerMinute: '200',
  podcastOwnerEmail: '',
};

/**
 * Two instances on one database (as behind a load balancer): a settings change answered by one
 * reaches the other with its next read of the events table, not when its settings copy expires.
 */
describe.each(DIALECTS)('a settings change reaches every instance on %s', (dialect) => {
  let one: CachedApp;
  let two: CachedApp;
  beforeAll(async () => {
    one = await createCachedApp(dialect);
    two = await createCachedApp(dialect, {}, one.t);
    await makeArticle(one.t.db, { headline: 'Settings Lead', section: 'Politics' });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  it('the other instance serves the new site name after its poller reads the event', async () => {
    await two.app.pageCache.sync();
    expect((await two.app.inject('/')).body).toContain('The Gazette');
    expect((await two.app.inject('/')).headers['x-cache']).toBe('HIT');

    const admin = await loginAs(one.app, one.t.db, 'admin');
    const saved = await postForm(one.app, admin, '/admin/settings', { ...FIELDS, siteName: 'Harbor Ledger' });
    expect(saved.statusCode).toBe(303);
    expect((await one.app.inject('/')).body).toContain('Harbor Ledger');

    await two.app.pageCache.sync();
    const home = await two.app.inject('/');
    expect(home.body).toContain('Harbor Ledger');
    expect(home.body).not.toContain('The Gazette');
    expect((await two.app.gazette.settings()).siteName).toBe('Harbor Ledger');
  });

  it('a change written by another process (no HTTP) is picked up the same way', async () => {
    await two.app.inject('/');
    const { saveSettings } = await import('../../src/settings/settings.service.js');
    await one.t.db.transaction().execute((trx) => saveSettings(trx, { siteName: 'Harbor Ledger Two' }));
    await two.app.pageCache.sync();
    expect((await two.app.inject('/')).body).toContain('Harbor Ledger Two');
  });
});
