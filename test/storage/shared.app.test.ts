import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { mp3Info } from '../../src/narration/mp3.frames.js';
import { createNarrator, type Narrator } from '../../src/narration/narration.setup.js';
import { S3Connection, S3Store } from '../../src/storage/s3.store.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { makeImage } from '../helpers/images.js';
import { postForm, postUpload } from '../newsroom/newsroom.helpers.js';
import { startS3, type TestS3 } from './s3.server.js';

/** Files under a folder, if it exists (an instance's own disk). */
const filesUnder = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
    : [];

describe.each(DIALECTS)('two instances sharing one database and one bucket on %s', (dialect) => {
  let s3: TestS3;
  let t: TestDb;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let bDir: string;
  let editor: StaffSession;
  let bucket: { media: S3Store; audio: S3Store; close(): void };

  beforeAll(async () => {
    s3 = await startS3();
    t = await createTestDb(dialect);
    const shared = s3.settings('gazette', 'news');
    // Each instance has a data folder of its own (its own disk); the database and the bucket are shared.
    bDir = mkdtempSync(join(tmpdir(), 'gazette-b-'));
    a = await buildApp({ db: t.db, dialect: t.dialect, config: { ...t.config, s3: shared }, logger: false });
    b = await buildApp({ db: t.db, dialect: t.dialect, config: { ...t.config, dataDir: bDir, s3: shared }, logger: false });
    await Promise.all([a.ready(), b.ready()]);
    editor = await loginAs(a, t.db, 'editor');
    const connection = new S3Connection(shared);
    bucket = {
      media: new S3Store(connection, 'media'),
      audio: new S3Store(connection, 'narration/audio'),
      close: () => connection.close(),
    };
  });
  afterAll(async () => {
    bucket.close();
    await a.close();
    await b.close();
    await t.destroy();
    rmSync(bDir, { recursive: true, force: true });
    await s3.close();
  });

  it('keeps an image uploaded on one instance in the bucket, and the other serves it', async () => {
    const res = await postUpload(
      a,
      editor,
      '/admin/media',
      { alt: 'Harbor at night', credit: 'Photo: Staff' },
      { name: 'harbor.jpg', type: 'image/jpeg', data: await makeImage({ width: 900, height: 500 }) },
      'application/json',
    );
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.db.selectFrom('media').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    const variants = JSON.parse(row.variants) as { path: string; format: string; bytes: number }[];
    expect(variants.length).toBe(9);
    // Every variant is an object under the configured prefix; neither instance keeps one on its disk.
    expect((await bucket.media.list(`${row.hash.slice(0, 2)}/`)).sort()).toEqual(variants.map((v) => v.path).sort());
    expect(filesUnder(join(t.dataDir, 'media'))).toEqual([]);
    expect(filesUnder(join(bDir, 'media'))).toEqual([]);

    for (const v of variants) {
      const fromA = await a.inject(`/media/${v.path}`);
      const fromB = await b.inject(`/media/${v.path}`);
      expect(fromB.statusCode, v.path).toBe(200);
      expect(fromB.rawPayload.length).toBe(v.bytes);
      expect(fromB.rawPayload.equals(fromA.rawPayload)).toBe(true);
      expect(fromB.headers['content-type']).toBe({ avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' }[v.format]);
      expect(fromB.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      // The bucket's ETag: the same answer from every instance, so a CDN keeps one copy.
      expect(fromB.headers.etag).toBe(fromA.headers.etag);
    }
    const jpeg = variants.find((v) => v.format === 'jpeg')!.path;
    const first = await b.inject(`/media/${jpeg}`);
    const again = await b.inject({ url: `/media/${jpeg}`, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const part = await b.inject({ url: `/media/${jpeg}`, headers: { range: 'bytes=0-9' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(first.rawPayload.subarray(0, 10))).toBe(true);
    const head = await b.inject({ method: 'HEAD', url: `/media/${jpeg}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(first.rawPayload.length));

    // Deleted on the other instance: the objects go, and neither instance serves them.
    expect((await postForm(b, await loginAs(b, t.db, 'editor'), `/admin/media/${row.id}/delete`, {})).statusCode).toBe(303);
    expect(await bucket.media.list(`${row.hash.slice(0, 2)}/${row.hash}/`)).toEqual([]);
    expect((await a.inject(`/media/${jpeg}`)).statusCode).toBe(404);
  });

  it('keeps narration audio made by one instance in the bucket, and the other serves it with ranges', async () => {
    const article = await makeArticle(t.db, { headline: 'Ferry fares rise', body: 'Fares rise by 25 cents.\n\nThe board voted 5-2.' });
    const narrator: Narrator = createNarrator({ db: t.db, dataDir: t.dataDir });
    let file: string;
    try {
      file = (await narrator.narrate(article.id)).file!;
    } finally {
      narrator.close();
    }
    expect(file).toMatch(/^\d+-[0-9a-f]{16}\.mp3$/);
    const stored = await bucket.audio.get(file);
    expect(stored && mp3Info(stored).junkBytes).toBe(0);
    expect(filesUnder(join(t.dataDir, 'narration', 'audio'))).toEqual([]);

    const page = await b.inject(`/politics/${article.slug}`);
    expect(page.body).toContain(`src="/audio/${file}"`);
    const full = await b.inject(`/audio/${file}`);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('audio/mpeg');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.rawPayload.equals(stored!)).toBe(true);
    const part = await b.inject({ url: `/audio/${file}`, headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${stored!.length}`);
    expect(part.rawPayload.equals(stored!.subarray(100, 200))).toBe(true);
    const past = await b.inject({ url: `/audio/${file}`, headers: { range: `bytes=${stored!.length + 5}-` } });
    expect(past.statusCode).toBe(416);
    for (const name of ['nope.mp3', `${article.id}-0123456789abcdef.mp3`, '..%2Fsecret.key']) {
      expect((await b.inject(`/audio/${name}`)).statusCode, name).toBe(404);
    }
  });
});
