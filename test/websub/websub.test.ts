import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { saveSettings } from '../../src/settings/settings.service.js';
import { feedPathsOf, pingHub, WEBSUB_JOB, webSubJobHandler } from '../../src/websub/websub.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type Receiver, startReceiver } from '../webhooks/webhook.helpers.js';

process.env.GAZETTE_WEBHOOKS_ALLOW_PRIVATE = 'on';

const ORIGIN = 'https://news.example.org';

describe.each(DIALECTS)('WebSub and feeds on %s', (dialect) => {
  let h: TestApp;
  let hub: Receiver;
  let editor: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    hub = await startReceiver();
    editor = await makeToken(h.t.db, 'editor');
  });
  afterAll(async () => {
    await hub.close();
    await h.close();
  });
  beforeEach(() => {
    hub.received.length = 0;
    hub.answer = 204;
  });

  const setHub = async (websubHub: string) => {
    await h.t.db.transaction().execute((trx) => saveSettings(trx, { siteUrl: ORIGIN, websubHub }));
    h.app.gazette.invalidateSettings();
  };
  const queued = () => findJobs(h.t.db, { type: WEBSUB_JOB, status: 'queued' });

  it('declares no hub and queues no ping by default', async () => {
    await setHub('');
    await makeArticle(h.t.db);
    expect(await queued()).toEqual([]);
    const rss = (await h.app.inject('/feed.xml')).body;
    expect(rss).not.toContain('rel="hub"');
    expect(rss).toContain('rel="self"');
    expect((await h.app.inject('/feed.json')).json().hubs).toBeUndefined();
  });

  it('feeds declare the hub and themselves (RSS atom:link, Atom link, JSON Feed hubs)', async () => {
    await setHub(hub.url);
    const rss = (await h.app.inject('/feed.xml')).body;
    expect(rss).toMatch(new RegExp(`<atom:link href="${hub.url}" rel="hub"/>`));
    expect(rss).toMatch(/<atom:link href="[^"]*\/feed\.xml" rel="self" type="application\/rss\+xml"\/>/);
    const atom = (await h.app.inject('/atom.xml')).body;
    expect(atom).toContain(`<link rel="hub" href="${hub.url}"/>`);
    expect(atom).toMatch(/<link rel="self" href="[^"]*\/atom\.xml"\/>/);
    const json = (await h.app.inject('/feed.json')).json();
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hub.url }]);
    expect(json.feed_url).toMatch(/\/feed\.json$/);
    const section = (await h.app.inject('/politics/atom.xml')).body;
    expect(section).toContain(`<link rel="hub" href="${hub.url}"/>`);
  });

  it('publishing pings the hub for every feed that lists the article, from one deduplicated job', async () => {
    await setHub(hub.url);
    for (const job of await queued()) await h.t.db.deleteFrom('jobs').where('id', '=', job.id).execute();
    const a = await makeArticle(h.t.db, { section: 'Business', authors: ['Ana Ruiz'], tags: ['Harbor Works'] });
    const b = await makeArticle(h.t.db, { section: 'Politics' });
    const jobs = await queued();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0].payload).articleIds).toEqual([a.id, b.id]);

    const runner = createJobRunner({ db: h.t.db, handlers: { [WEBSUB_JOB]: webSubJobHandler(h.t.db, { webhooksAllowPrivate: true }) } });
    await runner.runDue();
    const topics = hub.received.map((r) => {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const form = new URLSearchParams(r.body);
      expect(form.get('hub.mode')).toBe('publish');
      return form.get('hub.url');
    });
    for (const path of [
      '/feed.xml',
      '/atom.xml',
      '/feed.json',
      '/business/feed.xml',
      '/politics/atom.xml',
      '/author/ana-ruiz/feed.json',
      '/tag/harbor-works/feed.xml',
    ]) {
      expect(topics).toContain(`${ORIGIN}${path}`);
    }
    expect(await queued()).toEqual([]);
  });

  it('a hub that refuses is retried (the job fails and is queued again)', async () => {
    await setHub(hub.url);
    hub.answer = 500;
    await expect(pingHub(h.t.db, [])).rejects.toThrow(/refused 3 of 3/);
    hub.answer = 202;
    expect(await pingHub(h.t.db, [])).toBe(3);
  });

  it('the hub address is refused when it is private and private addresses are not allowed', async () => {
    await setHub(hub.url);
    await expect(pingHub(h.t.db, [], { allowPrivate: false })).rejects.toThrow(/may not reach/);
    expect(hub.received).toEqual([]);
  });

  it('the settings form keeps a bad hub address and says what is wrong', async () => {
    const { loginAs } = await import('../helpers/auth.js');
    const s = await loginAs(h.app, h.t.db, 'admin');
    const form = (websubHub: string) =>
      new URLSearchParams({
        _csrf: s.csrf,
        siteName: 'The Gazette',
        siteDescription: 'News',
        siteUrl: ORIGIN,
        locale: 'en-US',
        timeZone: 'UTC',
        wordsPerMinute: '200',
        podcastOwnerEmail: '',
        websubHub,
      }).toString();
    const headers = { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await h.app.inject({ method: 'POST', url: '/admin/settings', headers, payload: form('ftp://hub.example.org/') });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="ftp://hub.example.org/"');
    const good = await h.app.inject({ method: 'POST', url: '/admin/settings', headers, payload: form('https://hub.example.org/') });
    expect(good.statusCode).toBe(303);
    expect((await h.app.inject({ url: '/admin/settings', headers: { cookie: s.cookie } })).body).toContain(
      'value="https://hub.example.org/"',
    );
  });

  it('feed item ids stay the same when an article is edited', async () => {
    await setHub('');
    const a = await makeArticle(h.t.db, { headline: 'Tide Gauge Installed', section: 'Science' });
    const ids = async () => {
      const rss = (await h.app.inject('/science/feed.xml')).body;
      const atom = (await h.app.inject('/science/atom.xml')).body;
      const json = (await h.app.inject('/science/feed.json')).json();
      return {
        rss: /<guid[^>]*>([^<]+)<\/guid>/.exec(rss)?.[1],
        atom: /<entry>\s*<title[^>]*>[\s\S]*?<id>([^<]+)<\/id>/.exec(atom)?.[1],
        json: json.items[0].id as string,
        titles: [rss, atom, JSON.stringify(json)],
      };
    };
    const before = await ids();
    expect(before.rss).toBeTruthy();
    expect(before.atom).toBeTruthy();
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/articles/${a.id}`,
      headers: { authorization: `Bearer ${editor}` },
      payload: { headline: 'Tide Gauge Installed at Last', body: 'A new body.\n\nWith another paragraph.' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await ids();
    for (const t of after.titles) expect(t).toContain('Tide Gauge Installed at Last');
    expect(after.rss).toBe(before.rss);
    expect(after.atom).toBe(before.atom);
    expect(after.json).toBe(before.json);
  });

  it('names the feeds of an article: the site, its section, authors and tags', async () => {
    const a = await makeArticle(h.t.db, { section: 'World', authors: ['Lee Chan'], tags: ['Ports'] });
    const paths = await feedPathsOf(h.t.db, [a.id]);
    expect(paths).toEqual(expect.arrayContaining(['/feed.xml', '/world/feed.json', '/author/lee-chan/atom.xml', '/tag/ports/feed.xml']));
    expect(paths).toHaveLength(12);
  });
});
