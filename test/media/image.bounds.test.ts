import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { inspectImage } from '../../src/media/image.js';
import { IMAGE_JOBS, imagePool, JobPool } from '../../src/media/image.pool.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeImage } from '../helpers/images.js';
import { postUpload } from '../newsroom/newsroom.helpers.js';
import { blankPng } from './png.js';

const refusal = (bytes: Buffer) =>
  inspectImage(bytes).then(
    () => undefined,
    (error: AppError) => error,
  );

describe('image size bounds, read from the header', () => {
  it('refuses a 39,000,000 × 1 PNG though it is under 40 megapixels', async () => {
    const error = await refusal(blankPng(39_000_000, 1));
    expect(error).toBeInstanceOf(AppError);
    expect(error?.status).toBe(422);
    expect(error?.message).toContain('39,000,000 × 1 pixels');
    expect(error?.message).toContain('at most 12,000 pixels');
  });

  it('refuses too many megapixels and too thin a strip, and takes the largest allowed', async () => {
    expect((await refusal(blankPng(7000, 7000)))?.message).toContain('at most 40 megapixels');
    expect((await refusal(blankPng(12_001, 1000)))?.message).toContain('at most 12,000 pixels');
    expect((await refusal(blankPng(2100, 100)))?.message).toContain('at most 20 times');
    expect((await refusal(blankPng(100, 2001)))?.message).toContain('at most 20 times');
    expect(await inspectImage(blankPng(12_000, 3333))).toEqual({ format: 'png', width: 12_000, height: 3333 });
    expect(await inspectImage(blankPng(2000, 100))).toEqual({ format: 'png', width: 2000, height: 100 });
  });
});

describe('the image job pool', () => {
  it('runs at most its limit at once and the rest in order, refusing beyond its queue', async () => {
    const pool = new JobPool(2, 3);
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const order: number[] = [];
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        order.push(n);
        gates.push(() => {
          running--;
          resolve(n);
        });
      });
    const results = [1, 2, 3, 4, 5].map((n) => pool.run(job(n)));
    const refused = await pool.run(job(6)).catch((e: AppError) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
    // Let the jobs finish one by one, whichever started first.
    while (order.length < 5 || gates.length) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(pool.peak).toBe(2);
    expect(pool.running).toBe(0);
    expect(pool.queued).toBe(0);
  });
});

describe.each(DIALECTS)('bounded image uploads on %s', (dialect) => {
  let h: TestApp;
  let writer: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    writer = await loginAs(h.app, h.t.db, 'writer');
  });
  afterAll(() => h.close());
  const mediaFiles = () => {
    const root = h.app.gazette.mediaRoot;
    return existsSync(root) ? readdirSync(root, { recursive: true }).map(String) : [];
  };

  it('refuses the 39,000,000 × 1 PNG with a 422 that keeps the form, and stores nothing', async () => {
    const before = mediaFiles();
    const strip = { name: 'strip.png', type: 'image/png', data: blankPng(39_000_000, 1) };
    const form = await postUpload(h.app, writer, '/admin/media', { alt: 'A very long line', credit: 'Me' }, strip);
    expect(form.statusCode).toBe(422);
    expect(form.body).toContain('39,000,000 × 1 pixels');
    expect(form.body).toContain('value="A very long line"');
    const api = await postUpload(h.app, writer, '/admin/media', {}, strip, 'application/json');
    expect(api.statusCode).toBe(422);
    expect(api.json().error.message).toContain('at most 12,000 pixels');
    expect(await h.t.db.selectFrom('media').select('id').execute()).toEqual([]);
    expect(mediaFiles()).toEqual(before);
  });

  it('still takes a normal image', async () => {
    const data = await makeImage({ width: 900, height: 500 });
    const res = await postUpload(
      h.app,
      writer,
      '/admin/media',
      { alt: 'Harbour' },
      { name: 'a.jpg', type: 'image/jpeg', data },
      'application/json',
    );
    expect(res.statusCode, res.body).toBe(201);
  });

  it(`processes several uploads at once at most ${IMAGE_JOBS} at a time`, async () => {
    const images = await Promise.all([0, 1, 2, 3, 4].map((i) => makeImage({ width: 600 + i * 10, height: 400 })));
    imagePool.peak = 0;
    const answers = await Promise.all(
      images.map((data, i) =>
        postUpload(h.app, writer, '/admin/media', { alt: `n${i}` }, { name: `${i}.jpg`, type: 'image/jpeg', data }, 'application/json'),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(imagePool.peak).toBeGreaterThanOrEqual(1);
    expect(imagePool.peak).toBeLessThanOrEqual(IMAGE_JOBS);
    expect(imagePool.running).toBe(0);
  });
});
