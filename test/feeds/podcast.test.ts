import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { makeImage } from '../helpers/images.js';
import { postForm, postUpload } from '../newsroom/newsroom.helpers.js';
import { xmllint } from '../seo/xml.js';

const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

const SETTINGS = {
  siteName: 'The Gazette',
  siteDescription: 'News.',
  siteUrl: '',
  locale: 'en-US',
  timeZone: 'UTC',
  wordsPerMinute: '200',
};

describe.each(DIALECTS)('podcast feeds for podcast apps on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession;
  let slug: string;

  /** The channel's artwork as the feed names it, fetched: its URL, bytes and size. */
  const artwork = async (feed: string) => {
    const res = await h.app.inject(feed);
    expect(res.statusCode).toBe(200);
    expect(xmllint(res.body).ok).toBe(true);
    const href = tags(res.body, 'itunes:image')[0]?.href ?? '';
    const image = await h.app.inject(local(href));
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    return { xml: res.body, href, bytes: image.rawPayload, meta: await sharp(image.rawPayload).metadata() };
  };

  beforeAll(async () => {
    h = await createTestApp(dialect);
    slug = (await makeArticle(h.t.db, { headline: 'Harbor vote' })).slug;
    admin = await loginAs(h.app, h.t.db, 'admin');
  });
  afterAll(() => h.close());

  it('names square show artwork of at least 1400 px in itunes:image and the RSS image, both served', async () => {
    for (const feed of ['/podcast.xml', '/politics/podcast.xml']) {
      const { xml, href, meta } = await artwork(feed);
      expect(href).toMatch(/^http:\/\/localhost(:\d+)?\/podcast-artwork\.jpg\?v=[0-9a-f]{10}$/);
      expect(meta.width).toBe(meta.height);
      expect(meta.width).toBeGreaterThanOrEqual(1400);
      expect(meta.width).toBeLessThanOrEqual(3000);
      expect(meta.format).toBe('jpeg');
      const image = /<image>\s*<url>([^<]+)<\/url>\s*<title>([^<]+)<\/title>\s*<link>([^<]+)<\/link>\s*<\/image>/.exec(xml);
      expect(image?.[1]).toBe(href);
      // RSS 2.0: the image's title and link are the channel's.
      expect(image?.[2]).toBe(/<channel>\s*<title>([^<]+)<\/title>/.exec(xml)?.[1]);
      expect(image?.[3]).toBe(/<channel>[\s\S]*?<link>([^<]+)<\/link>/.exec(xml)?.[1]);
    }
  });

  it('names the owner: the site name, and the e-mail once the settings give one', async () => {
    let xml = (await h.app.inject('/podcast.xml')).body;
    expect(xml).toMatch(/<itunes:owner>\s*<itunes:name>The Gazette<\/itunes:name>\s*<\/itunes:owner>/);
    expect(xml).not.toContain('<itunes:email>');
    const bad = await postForm(h.app, admin, '/admin/settings', { ...SETTINGS, podcastOwnerEmail: 'not an address' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="not an address"');
    const ok = await postForm(h.app, admin, '/admin/settings', { ...SETTINGS, podcastOwnerEmail: 'audio@example.org' });
    expect(ok.statusCode).toBe(303);
    xml = (await h.app.inject('/podcast.xml')).body;
    expect(xml).toMatch(
      /<itunes:owner>\s*<itunes:name>The Gazette<\/itunes:name>\s*<itunes:email>audio@example.org<\/itunes:email>\s*<\/itunes:owner>/,
    );
    expect(xmllint(xml).ok).toBe(true);
  });

  it('an uploaded artwork replaces the drawn one; too small is refused; removing it brings the drawing back', async () => {
    const drawn = await artwork('/podcast.xml');
    const mediaCount = async () => (await h.t.db.selectFrom('media').select('id').execute()).length;
    const before = await mediaCount();
    const small = await postUpload(
      h.app,
      admin,
      '/admin/settings/podcast-artwork',
      {},
      { name: 'a.jpg', type: 'image/jpeg', data: await makeImage({ width: 1000, height: 1000 }) },
    );
    expect(small.statusCode).toBe(422);
    expect(small.body).toContain('at least 1400 × 1400 pixels');
    // Refused before it reaches the media library.
    expect(await mediaCount()).toBe(before);
    const up = await postUpload(
      h.app,
      admin,
      '/admin/settings/podcast-artwork',
      {},
      { name: 'a.jpg', type: 'image/jpeg', data: await makeImage({ width: 1500, height: 1500 }) },
    );
    expect(up.statusCode).toBe(303);
    const uploaded = await artwork('/podcast.xml');
    expect(uploaded.href).not.toBe(drawn.href);
    expect(uploaded.bytes.equals(drawn.bytes)).toBe(false);
    expect(uploaded.meta).toMatchObject({ width: 1500, height: 1500 });
    const page = (await h.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } })).body;
    expect(page).toContain('action="/admin/settings/podcast-artwork/remove"');
    expect((await postForm(h.app, admin, '/admin/settings/podcast-artwork/remove', {})).statusCode).toBe(303);
    const back = await artwork('/podcast.xml');
    expect(back.href).toBe(drawn.href);
    expect(back.meta).toMatchObject({ width: 1400, height: 1400 });
  });

  it('links the podcast feed from the head of the front page and of articles', async () => {
    for (const url of ['/', `/politics/${slug}`]) {
      const links = tags((await h.app.inject(url)).body, 'link');
      expect(links, url).toContainEqual(
        expect.objectContaining({
          rel: 'alternate',
          type: 'application/rss+xml',
          href: '/podcast.xml',
          title: expect.stringMatching(/podcast$/),
        }),
      );
    }
  });
});
