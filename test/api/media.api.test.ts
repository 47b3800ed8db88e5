import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeImage } from '../helpers/images.js';
import { postUpload } from '../newsroom/newsroom.helpers.js';
import { apiCall, apiUpload } from './api.helpers.js';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() || d.name.includes('.tmp'))
    .map((d) => join(d.parentPath, d.name));
}

/** What a variant is, without where it is stored. */
const shapes = (variants: { format: string; width: number; height: number }[]) =>
  variants.map((v) => `${v.format} ${v.width}×${v.height}`).sort();

describe.each(DIALECTS)('the media JSON API on %s', (dialect) => {
  let h: TestApp;
  let admin: string;
  let editor: string;
  let writer: string;
  let moderator: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    [admin, editor, writer, moderator] = await Promise.all(
      (['admin', 'editor', 'writer', 'moderator'] as const).map((r) => makeToken(h.t.db, r)),
    );
  });
  afterAll(() => h.close());
  const media = () => h.app.gazette.mediaRoot;

  it('uploads an image with its details: 201, metadata stripped, variants made', async () => {
    const jpeg = await makeImage({ width: 1400, height: 800, exif: true });
    const res = await apiUpload(
      h.app,
      writer,
      { alt: 'Ferry at dawn', caption: 'The first crossing of the day.', credit: 'Photo: A. Ruiz' },
      { name: 'ferry.jpg', type: 'image/jpeg', data: jpeg },
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      id: expect.any(Number),
      width: 1400,
      height: 800,
      alt: 'Ferry at dawn',
      caption: 'The first crossing of the day.',
      credit: 'Photo: A. Ruiz',
      mime: 'image/jpeg',
      url: expect.stringMatching(/^\/media\/.+\/1400\.jpg$/),
    });
    expect(res.headers.location).toBe(`/api/v1/media/${body.id}`);
    expect(new Set(body.variants.map((v: { format: string }) => v.format))).toEqual(new Set(['avif', 'webp', 'jpeg']));
    for (const v of body.variants) {
      const file = join(media(), v.url.slice('/media/'.length));
      expect((await sharp(file).metadata()).exif, v.url).toBeUndefined();
    }
    const served = await h.app.inject(body.url);
    expect(served.statusCode).toBe(200);
    const event = await h.t.db
      .selectFrom('events')
      .select('id')
      .where('type', '=', 'media.uploaded')
      .where('subject_id', '=', body.id)
      .executeTakeFirst();
    expect(event).toBeDefined();
  });

  it('makes the same variants as the newsroom upload', async () => {
    const session = await loginAs(h.app, h.t.db, 'editor');
    // The same picture twice, one copy carrying metadata: different files, the same image.
    const plain = await makeImage({ width: 1000, height: 700, format: 'png' });
    const tagged = await makeImage({ width: 1000, height: 700, format: 'png', exif: true });
    const viaNewsroom = await postUpload(
      h.app,
      session,
      '/admin/media',
      { alt: 'n' },
      { name: 'a.png', type: 'image/png', data: plain },
      'application/json',
    );
    expect(viaNewsroom.statusCode, viaNewsroom.body).toBe(201);
    const viaApi = await apiUpload(h.app, editor, { alt: 'a' }, { name: 'b.png', type: 'image/png', data: tagged });
    expect(viaApi.statusCode, viaApi.body).toBe(201);
    const [n, a] = await Promise.all(
      [viaNewsroom.json().id, viaApi.json().id].map((id) =>
        h.t.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
      ),
    );
    expect(shapes(JSON.parse(a.variants))).toEqual(shapes(JSON.parse(n.variants)));
    expect(shapes(viaApi.json().variants)).toEqual(shapes(JSON.parse(n.variants)));
    expect([a.width, a.height, a.mime]).toEqual([n.width, n.height, n.mime]);
    // The very same file again through the API is the same library image, as in the newsroom.
    const again = await apiUpload(h.app, editor, {}, { name: 'c.png', type: 'image/png', data: plain });
    expect(again.json().id).toBe(n.id);
  });

  it('refuses a wrong type with 415, a damaged image with 422, a file too large with 413, and leaves nothing on disk', async () => {
    const before = filesUnder(media());
    const text = await apiUpload(
      h.app,
      writer,
      { alt: 'x' },
      { name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('just some text, not a picture') },
    );
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toMatchObject({ code: 'unsupported_media', field: 'file' });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const svgRes = await apiUpload(h.app, writer, {}, { name: 'a.svg', type: 'image/svg+xml', data: svg });
    expect(svgRes.statusCode).toBe(415);
    const notMultipart = await apiCall(h.app, 'POST', '/api/v1/media', writer, { file: 'aGVsbG8=' });
    expect(notMultipart.statusCode).toBe(415);
    expect(notMultipart.json().error.message).toContain('multipart/form-data');
    const jpeg = await makeImage({ width: 900, height: 500 });
    const damaged = await apiUpload(
      h.app,
      writer,
      {},
      { name: 'cut.jpg', type: 'image/jpeg', data: jpeg.subarray(0, Math.floor(jpeg.length / 3)) },
    );
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json().error).toMatchObject({ code: 'invalid_image', field: 'file' });
    const thin = await sharp({ create: { width: 4000, height: 100, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const tooThin = await apiUpload(h.app, writer, {}, { name: 'thin.png', type: 'image/png', data: thin });
    expect(tooThin.statusCode).toBe(422);
    expect(tooThin.json().error.code).toBe('image_too_large');
    const huge = await apiUpload(
      h.app,
      writer,
      {},
      { name: 'huge.jpg', type: 'image/jpeg', data: Buffer.concat([jpeg, Buffer.alloc(21 * 1024 * 1024)]) },
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('larger than 20 MB');
    const none = await apiUpload(h.app, writer, { alt: 'no file' });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.field).toBe('file');
    const longAlt = await apiUpload(h.app, writer, { alt: 'a'.repeat(501) }, { name: 'ok.jpg', type: 'image/jpeg', data: jpeg });
    expect(longAlt.statusCode).toBe(422);
    expect(longAlt.json().error.field).toBe('alt');
    expect(filesUnder(media())).toEqual(before);
  });

  it('lets writers, editors and administrators list and read the library; others are refused', async () => {
    for (const token of [writer, editor, admin]) {
      const list = await apiCall(h.app, 'GET', '/api/v1/media', token);
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBeGreaterThanOrEqual(3);
      expect(list.json().next_page).toBeNull();
    }
    const list = (await apiCall(h.app, 'GET', '/api/v1/media', writer)).json();
    const first = list.media[0];
    const one = await apiCall(h.app, 'GET', `/api/v1/media/${first.id}`, writer);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(first);
    expect((await apiCall(h.app, 'GET', '/api/v1/media/999999', writer)).statusCode).toBe(404);
    expect((await apiCall(h.app, 'GET', '/api/v1/media/x', writer)).statusCode).toBe(404);
    expect((await apiCall(h.app, 'GET', '/api/v1/media?page=0', writer)).statusCode).toBe(422);
    for (const url of ['/api/v1/media', `/api/v1/media/${first.id}`]) {
      expect((await apiCall(h.app, 'GET', url)).statusCode).toBe(401);
      expect((await apiCall(h.app, 'GET', url, moderator)).statusCode).toBe(403);
    }
    const jpeg = await makeImage({ width: 300, height: 200 });
    const anonymous = await apiUpload(h.app, undefined, {}, { name: 'a.jpg', type: 'image/jpeg', data: jpeg });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    expect((await apiUpload(h.app, moderator, {}, { name: 'a.jpg', type: 'image/jpeg', data: jpeg })).statusCode).toBe(403);
  });
});
