import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/media/image.js';
import { saveMedia } from '../../src/media/media.service.js';
import { cropUrl } from '../../src/seo/image.routes.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { tags } from '../helpers/html.js';
import { makeImage } from '../helpers/images.js';

describe.each(DIALECTS)('image crops on %s', (dialect) => {
  let h: TestApp;
  let published: { url: string; mediaId: number; articleId: number };
  let draftMediaId: number;
  let scheduledMediaId: number;
  let unusedMediaId: number;

  /** The crop address the site would give for a library image (as if its content hash were known). */
  const nameFor = async (mediaId: number, crop: '16x9' | '4x3' | '1x1' = '16x9') => {
    const row = await h.t.db.selectFrom('media').select(['id', 'variants']).where('id', '=', mediaId).executeTakeFirstOrThrow();
    return cropUrl({ id: row.id, variants: JSON.parse(row.variants) }, crop) as string;
  };
  const heroOf = async (articleId: number) =>
    (await h.t.db.selectFrom('articles').select('hero_media_id').where('id', '=', articleId).executeTakeFirstOrThrow()).hero_media_id!;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    const root = h.app.gazette.mediaRoot;
    const picture = (width: number) => makeImage({ width, height: 900 }).then((b) => processImage(b, root));
    const a = await makeArticle(h.t.db, { heroAlt: 'Harbour' }, { hero: await picture(1600) });
    published = { url: a.url, articleId: a.id, mediaId: await heroOf(a.id) };
    const draft = await makeArticle(h.t.db, { heroAlt: 'Draft picture' }, { hero: await picture(1500) });
    const later = await makeArticle(h.t.db, { heroAlt: 'Embargoed picture' }, { hero: await picture(1400) });
    await h.t.db.updateTable('articles').set({ status: 'draft' }).where('id', '=', draft.id).execute();
    await h.t.db
      .updateTable('articles')
      .set({ status: 'scheduled', published_at: '2099-01-01T00:00:00.000Z' })
      .where('id', '=', later.id)
      .execute();
    draftMediaId = await heroOf(draft.id);
    scheduledMediaId = await heroOf(later.id);
    const unused = await picture(1300);
    unusedMediaId = await h.t.db.transaction().execute((trx) => saveMedia(trx, unused, { alt: 'In the library only' }));
  });
  afterAll(() => h.close());

  it('names a published hero by an unguessable address that serves a JPEG crop', async () => {
    const page = await h.app.inject(published.url);
    const og = tags(page.body, 'meta').find((t) => t.property === 'og:image')?.content ?? '';
    const path = new URL(og).pathname;
    expect(path).toBe(await nameFor(published.mediaId));
    expect(path).toMatch(new RegExp(`^/images/${published.mediaId}-[0-9a-f]{16}-16x9\\.jpg$`));
    const crop = await h.app.inject(path);
    expect(crop.statusCode).toBe(200);
    expect(crop.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(crop.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 675]);
  });

  it('answers 404 for the old sequential addresses and for guessed names', async () => {
    const right = await nameFor(published.mediaId);
    const key = right.split('-')[1];
    for (const bad of [
      `/images/${published.mediaId}-16x9.jpg`,
      `/images/${published.mediaId}-0000000000000000-16x9.jpg`,
      `/images/${published.mediaId}-${key.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}-16x9.jpg`,
      `/images/${published.mediaId + 1}-${key}-16x9.jpg`,
      `/images/${published.mediaId}-${key}-2x1.jpg`,
      `/images/${published.mediaId}-${key.toUpperCase()}-16x9.jpg`,
    ]) {
      expect((await h.app.inject(bad)).statusCode, bad).toBe(404);
    }
  });

  it('has no crops of drafts, embargoed articles or unused library images, even by their right name', async () => {
    expect(unusedMediaId).toBeGreaterThan(0);
    for (const id of [draftMediaId, scheduledMediaId, unusedMediaId]) {
      for (const crop of ['16x9', '4x3', '1x1'] as const) {
        const name = await nameFor(id, crop);
        expect((await h.app.inject(name)).statusCode, name).toBe(404);
      }
    }
  });

  it('stops serving the crops of an article once it is unpublished', async () => {
    const name = await nameFor(published.mediaId, '1x1');
    expect((await h.app.inject(name)).statusCode).toBe(200);
    await h.t.db.updateTable('articles').set({ status: 'draft' }).where('id', '=', published.articleId).execute();
    expect((await h.app.inject(name)).statusCode).toBe(404);
    await h.t.db.updateTable('articles').set({ status: 'published' }).where('id', '=', published.articleId).execute();
    expect((await h.app.inject(name)).statusCode).toBe(200);
  });
});
