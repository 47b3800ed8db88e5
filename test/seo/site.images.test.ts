import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { makeImage } from '../helpers/images.js';
import { postForm, postUpload } from '../newsroom/newsroom.helpers.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The path and query of a URL that may be absolute. */
const local = (url: string) => {
  const u = new URL(url, 'http://localhost');
  return `${u.pathname}${u.search}`;
};

describe.each(DIALECTS)('site icons, manifest and link-preview image on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession;
  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url: local(url), headers });
  const head = async (url: string) => {
    const html = (await get(url)).body;
    return { links: tags(html, 'link'), metas: tags(html, 'meta') };
  };
  const meta = (metas: Record<string, string>[], key: string) => metas.find((m) => m.property === key || m.name === key)?.content;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { slug: 'budget-vote', authors: ['Ana Ruiz'], tags: ['City Hall'] });
    admin = await loginAs(h.app, h.t.db, 'admin');
  });
  afterAll(() => h.close());

  it('serves /favicon.ico as a real ICO holding PNG images of the site initials', async () => {
    const res = await get('/favicon.ico');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    const ico = res.rawPayload;
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    expect(count).toBeGreaterThanOrEqual(1);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const png = ico.subarray(offset, offset + length);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const m = await sharp(png).metadata();
      expect(m.width).toBe(ico.readUInt8(at) || 256);
      expect(m.height).toBe(m.width);
      sizes.push(m.width ?? 0);
    }
    expect(sizes).toContain(32);
  });

  it('links the icons, manifest and theme colour from every page, with a version in the address', async () => {
    const { links, metas } = await head('/');
    const icon = links.find((l) => l.rel === 'icon');
    expect(icon?.href).toMatch(/^\/favicon\.ico\?v=[0-9a-f]{10}$/);
    expect((await get(icon?.href ?? '')).statusCode).toBe(200);
    const touch = links.find((l) => l.rel === 'apple-touch-icon');
    const touchRes = await get(touch?.href ?? '');
    expect(touchRes.headers['content-type']).toBe('image/png');
    expect(await sharp(touchRes.rawPayload).metadata()).toMatchObject({ width: 180, height: 180, format: 'png' });
    expect(meta(metas, 'theme-color')).toMatch(/^#[0-9a-f]{6}$/i);
    expect(links.find((l) => l.rel === 'manifest')?.href).toMatch(/^\/manifest\.webmanifest\?v=/);
    const article = await head('/politics/budget-vote');
    expect(meta(article.metas, 'theme-color')).toBe(meta(metas, 'theme-color'));
    expect(article.links.find((l) => l.rel === 'icon')?.href).toBe(icon?.href);
  });

  it('serves a valid web app manifest whose icons exist at their stated sizes', async () => {
    const href = (await head('/')).links.find((l) => l.rel === 'manifest')?.href ?? '';
    const res = await get(href);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/manifest+json');
    const m = JSON.parse(res.body);
    expect(m).toMatchObject({ name: 'The Gazette', short_name: 'The Gazette', start_url: '/', display: 'standalone' });
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const sizes = m.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const i of m.icons) {
      const icon = await get(i.src);
      expect(icon.statusCode, i.src).toBe(200);
      expect(icon.headers['content-type']).toBe(i.type);
      const meta = await sharp(icon.rawPayload).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(i.sizes);
    }
  });

  it('is cacheable: max-age and an ETag answered with 304; the versioned address is immutable', async () => {
    const bare = await get('/apple-touch-icon.png');
    expect(bare.headers['cache-control']).toMatch(/max-age=\d+/);
    const etag = String(bare.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/apple-touch-icon.png', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const href = (await head('/')).links.find((l) => l.rel === 'apple-touch-icon')?.href ?? '';
    expect((await get(href)).headers['cache-control']).toContain('immutable');
  });

  it('gives the front, section, author and tag pages an og:image of 1200×630 that is served', async () => {
    for (const page of ['/', '/politics', '/author/ana-ruiz', '/tag/city-hall']) {
      const { metas } = await head(page);
      const image = meta(metas, 'og:image') ?? '';
      expect(image, page).toMatch(/^http:\/\/localhost(:\d+)?\/site-image\.jpg\?v=[0-9a-f]{10}$/);
      expect(meta(metas, 'og:image:width')).toBe('1200');
      expect(meta(metas, 'og:image:height')).toBe('630');
      expect(meta(metas, 'twitter:image')).toBe(image);
      expect(meta(metas, 'twitter:card')).toBe('summary_large_image');
      const res = await get(image);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(await sharp(res.rawPayload).metadata()).toMatchObject({ width: 1200, height: 630, format: 'jpeg' });
    }
  });

  it('an uploaded site image replaces the drawn one; a renamed site gets new icons; a small upload is refused', async () => {
    const before = meta((await head('/')).metas, 'og:image') ?? '';
    const drawn = (await get(before)).rawPayload;
    const favicon = (await get('/favicon.ico')).rawPayload;

    const small = await postUpload(
      h.app,
      admin,
      '/admin/settings/site-image',
      {},
      { name: 's.jpg', type: 'image/jpeg', data: await makeImage({ width: 800, height: 400 }) },
    );
    expect(small.statusCode).toBe(422);
    expect(small.body).toContain('at least 1200 × 630 pixels');

    const up = await postUpload(
      h.app,
      admin,
      '/admin/settings/site-image',
      {},
      { name: 'i.jpg', type: 'image/jpeg', data: await makeImage({ width: 1600, height: 900 }) },
    );
    expect(up.statusCode).toBe(303);
    const after = meta((await head('/politics')).metas, 'og:image') ?? '';
    expect(after).not.toBe(before);
    const uploaded = await get(after);
    expect(uploaded.rawPayload.equals(drawn)).toBe(false);
    expect(await sharp(uploaded.rawPayload).metadata()).toMatchObject({ width: 1200, height: 630 });
    // The picture's red circle is in the middle of the upload; the drawing has none.
    const { data } = await sharp(uploaded.rawPayload)
      .extract({ left: 590, top: 305, width: 20, height: 20 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);

    const settings = (await h.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } })).body;
    expect(settings).toContain('action="/admin/settings/site-image/remove"');

    const renamed = await postForm(h.app, admin, '/admin/settings', {
      siteName: 'Harbor City Ledger',
      siteDescription: 'News.',
      siteUrl: '',
      locale: 'en-US',
      timeZone: 'UTC',
      wordsPerMinute: '200',
      podcastOwnerEmail: '',
    });
    expect(renamed.statusCode).toBe(303);
    const icon = (await head('/')).links.find((l) => l.rel === 'icon')?.href ?? '';
    expect((await get(icon)).rawPayload.equals(favicon)).toBe(false);
    expect(JSON.parse((await get('/manifest.webmanifest')).body)).toMatchObject({ name: 'Harbor City Ledger', short_name: 'Harbor City' });

    expect((await postForm(h.app, admin, '/admin/settings/site-image/remove', {})).statusCode).toBe(303);
    expect(meta((await head('/')).metas, 'og:image')).not.toBe(after);
  });
  it('uses the logo, whole on white, for the icons once one is set', async () => {
    const drawn = (await get('/apple-touch-icon.png')).rawPayload;
    const logo = await postUpload(
      h.app,
      admin,
      '/admin/settings/logo',
      {},
      { name: 'logo.png', type: 'image/png', data: await makeImage({ width: 300, height: 80, format: 'png' }) },
    );
    expect(logo.statusCode).toBe(303);
    const href = (await head('/')).links.find((l) => l.rel === 'apple-touch-icon')?.href ?? '';
    const icon = (await get(href)).rawPayload;
    expect(icon.equals(drawn)).toBe(false);
    expect(await sharp(icon).metadata()).toMatchObject({ width: 180, height: 180 });
    const corner = await sharp(icon).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
    expect([...corner.subarray(0, 3)]).toEqual([255, 255, 255]);
  });
});
