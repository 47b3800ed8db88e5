import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { articleForm, getPage, idFromLocation, multipart, postForm, postUpload } from './newsroom.helpers.js';

/** Every file under the media folder (variants and anything half-written). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() || d.name.includes('.tmp'))
    .map((d) => join(d.parentPath, d.name));
}

describe.each(DIALECTS)('the media library on %s', (dialect) => {
  let h: TestApp;
  let writer: StaffSession;
  let editor: StaffSession;
  let moderator: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    await makeArticle(h.t.db, { section: 'Politics' });
    [writer, editor, moderator] = [
      await loginAs(h.app, h.t.db, 'writer'),
      await loginAs(h.app, h.t.db, 'editor'),
      await loginAs(h.app, h.t.db, 'moderator'),
    ];
  });
  afterAll(() => h.close());
  const media = () => h.app.gazette.mediaRoot;

  it('stores an upload with its alt text and credit, strips metadata and makes variants', async () => {
    const jpeg = await makeImage({ width: 1000, height: 600, exif: true });
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await postUpload(
      h.app,
      writer,
      '/admin/media',
      { alt: 'Ferry at dawn', credit: 'Photo: A. Ruiz' },
      { name: 'ferry.jpg', type: 'image/jpeg', data: jpeg },
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const row = await h.t.db.selectFrom('media').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ alt: 'Ferry at dawn', credit: 'Photo: A. Ruiz', width: 1000, height: 600 });
    const variants = JSON.parse(row.variants) as { path: string; format: string }[];
    expect(new Set(variants.map((v) => v.format))).toEqual(new Set(['avif', 'webp', 'jpeg']));
    for (const v of variants) {
      const meta = await sharp(join(media(), v.path)).metadata();
      expect(meta.exif, v.path).toBeUndefined();
    }
    const page = await getPage(h.app, writer, '/admin/media');
    expect(page.body).toContain('alt="Ferry at dawn"');
  });

  it('accepts PNG, WebP, AVIF and GIF by content, and answers scripts with JSON', async () => {
    for (const format of ['png', 'webp', 'avif'] as const) {
      const data = await makeImage({ width: 320, height: 200, format });
      const res = await postUpload(
        h.app,
        writer,
        '/admin/media',
        { alt: format },
        { name: `picture.bin`, type: 'application/octet-stream', data },
        'application/json',
      );
      expect(res.statusCode, `${format}: ${res.body}`).toBe(201);
      expect(res.json()).toMatchObject({ id: expect.any(Number), alt: format, thumb: expect.stringMatching(/^\/media\/.+\.jpg$/) });
    }
    const gif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .gif()
      .toBuffer();
    expect(
      (await postUpload(h.app, writer, '/admin/media', {}, { name: 'a.gif', type: 'image/gif', data: gif }, 'application/json')).statusCode,
    ).toBe(201);
  });

  it('refuses files that are not images, damaged or too large, with a clear message and nothing left on disk', async () => {
    const before = filesUnder(media());
    const fake = await postUpload(
      h.app,
      writer,
      '/admin/media',
      { alt: 'Typed alt text' },
      { name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('just some text, not a picture') },
    );
    expect(fake.statusCode).toBe(422);
    expect(fake.body).toContain('not an image');
    expect(fake.body).toContain('value="Typed alt text"');
    const jpeg = await makeImage({ width: 900, height: 500 });
    const damaged = await postUpload(
      h.app,
      writer,
      '/admin/media',
      {},
      { name: 'cut.jpg', type: 'image/jpeg', data: jpeg.subarray(0, Math.floor(jpeg.length / 3)) },
      'application/json',
    );
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json().error.message).toMatch(/damaged|not an image/);
    const huge = Buffer.concat([jpeg, Buffer.alloc(21 * 1024 * 1024)]);
    const tooLarge = await postUpload(
      h.app,
      writer,
      '/admin/media',
      {},
      { name: 'huge.jpg', type: 'image/jpeg', data: huge },
      'application/json',
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.message).toContain('larger than 20 MB');
    const empty = await postUpload(h.app, writer, '/admin/media', {}, undefined, 'application/json');
    expect(empty.statusCode).toBe(422);
    expect(filesUnder(media())).toEqual(before);
  });

  it('checks roles and the CSRF token on uploads', async () => {
    const data = await makeImage({ width: 200, height: 100 });
    expect((await postUpload(h.app, moderator, '/admin/media', {}, { name: 'a.jpg', type: 'image/jpeg', data })).statusCode).toBe(403);
    const body = multipart({}, { name: 'a.jpg', type: 'image/jpeg', data });
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/admin/media',
      headers: { cookie: writer.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(noCsrf.statusCode).toBe(403);
    const anonymous = await h.app.inject({
      method: 'POST',
      url: '/admin/media',
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/admin/login?next=%2Fadmin%2Fmedia');
  });

  it('answers a form cut short in the middle of the file with 400, not 500', async () => {
    const data = await makeImage({ width: 200, height: 100 });
    const body = multipart({ _csrf: writer.csrf }, { name: 'a.jpg', type: 'image/jpeg', data });
    const cut = await h.app.inject({
      method: 'POST',
      url: '/admin/media',
      headers: { cookie: writer.cookie, 'content-type': body.contentType, accept: 'application/json' },
      payload: body.payload.subarray(0, body.payload.length - 400),
    });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.message).toContain('incomplete or malformed');
  });

  it('picks a hero from the library and deletes only unused images', async () => {
    const data = await makeImage({ width: 640, height: 360, format: 'png' });
    const up = await postUpload(
      h.app,
      editor,
      '/admin/media',
      { alt: 'Harbor cranes' },
      { name: 'c.png', type: 'image/png', data },
      'application/json',
    );
    const mediaId = up.json().id as number;
    const section = String((await h.t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id);
    const created = await postForm(h.app, editor, '/admin/articles', articleForm({ section, headline: 'Cranes arrive' }));
    const articleId = idFromLocation(created.headers.location);
    const picker = await getPage(h.app, editor, `/admin/media?for=${articleId}`);
    expect(picker.body).toContain('Use as hero');
    expect((await postForm(h.app, editor, `/admin/articles/${articleId}/hero`, { media_id: String(mediaId) })).statusCode).toBe(303);
    const article = await h.t.db.selectFrom('articles').select('hero_media_id').where('id', '=', articleId).executeTakeFirstOrThrow();
    expect(article.hero_media_id).toBe(mediaId);
    expect((await postForm(h.app, writer, `/admin/media/${mediaId}/delete`)).statusCode).toBe(403);
    expect((await postForm(h.app, editor, `/admin/media/${mediaId}/delete`)).statusCode).toBe(409);

    const spare = await postUpload(
      h.app,
      editor,
      '/admin/media',
      {},
      { name: 's.jpg', type: 'image/jpeg', data: await makeImage({ width: 300, height: 300 }) },
      'application/json',
    );
    const spareRow = await h.t.db
      .selectFrom('media')
      .select(['id', 'variants'])
      .where('id', '=', spare.json().id)
      .executeTakeFirstOrThrow();
    const file = join(media(), JSON.parse(spareRow.variants)[0].path);
    expect(existsSync(file)).toBe(true);
    expect((await postForm(h.app, editor, `/admin/media/${spareRow.id}/delete`)).statusCode).toBe(303);
    expect(existsSync(file)).toBe(false);
    expect(await h.t.db.selectFrom('media').select('id').where('id', '=', spareRow.id).executeTakeFirst()).toBeUndefined();
  });
});
