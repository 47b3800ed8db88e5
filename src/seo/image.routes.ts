import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type CropName, cropImage, isCropName, rasterizeSvg } from '../media/crop.js';
import { findMediaByIds } from '../media/media.service.js';
import { projectRoot } from '../web/assets.js';
import { bestJpeg } from './image.pick.js';

export const LOGO_SIZE = 512;
export const cropUrl = (mediaId: number, crop: CropName) => `/images/${mediaId}-${crop}.jpg`;
export const LOGO_URL = '/publisher-logo.png';

/**
 * Structured-data images: the 16:9, 4:3 and 1:1 crops of a hero image (made by sharp on first
 * request from the largest stored JPEG, then kept on disk beside the media) and the publisher logo.
 */
export async function imageRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  const pending = new Map<string, Promise<Buffer | undefined>>();
  let logo: Promise<Buffer> | undefined;

  const makeCrop = async (mediaId: number, crop: CropName): Promise<Buffer | undefined> => {
    const file = join(mediaRoot, 'crops', `${mediaId}-${crop}.jpg`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return cached;
    const media = (await findMediaByIds(db, [mediaId])).get(mediaId);
    const source = media ? bestJpeg(media, Number.POSITIVE_INFINITY) : undefined;
    if (!source) return undefined;
    const bytes = await cropImage(await readFile(join(mediaRoot, source.path)), crop);
    await mkdir(join(mediaRoot, 'crops'), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return bytes;
  };

  app.get<{ Params: { file: string } }>('/images/:file', async (request, reply) => {
    const m = /^([1-9]\d{0,9})-(\w+)\.jpg$/.exec(request.params.file);
    if (!m || !isCropName(m[2])) return reply.callNotFound();
    const key = `${m[1]}-${m[2]}`;
    // One sharp run per crop, however many requests arrive together.
    let job = pending.get(key);
    if (!job) {
      job = makeCrop(Number(m[1]), m[2]).finally(() => pending.delete(key));
      pending.set(key, job);
    }
    const bytes = await job.catch(() => undefined);
    if (!bytes) return reply.callNotFound();
    return reply.header('Cache-Control', 'public, max-age=31536000, immutable').type('image/jpeg').send(bytes);
  });

  app.get(LOGO_URL, async (_request, reply) => {
    logo ??= readFile(join(projectRoot, 'client', 'favicon.svg'))
      .then((svg) => rasterizeSvg(svg, LOGO_SIZE))
      .catch((error) => {
        logo = undefined;
        throw error;
      });
    return reply
      .header('Cache-Control', 'public, max-age=86400')
      .type('image/png')
      .send(await logo);
  });
}
