import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type CropName, cropImage, isCropName } from '../media/crop.js';
import { findPublishedHero } from '../media/media.service.js';
import { bestJpeg } from './image.pick.js';

/** The content hash of a library image, read from its variants' paths (`ab/abcd…/480.jpg`). */
const hashOf = (media: { variants: { path: string }[] }) => /^[0-9a-f]{2}\/([0-9a-f]{64})\//.exec(media.variants[0]?.path ?? '')?.[1];

/**
 * The address of a crop: the image's id and the start of its content hash, so that nobody can
 * name the crops of images they have not been shown. Undefined for an image without variants.
 */
export function cropUrl(media: { id: number; variants: { path: string }[] }, crop: CropName): string | undefined {
  const hash = hashOf(media);
  return hash ? `/images/${media.id}-${hash.slice(0, 16)}-${crop}.jpg` : undefined;
}

/**
 * Structured-data images: the 16:9, 4:3 and 1:1 crops of the hero image of a published article
 * (made by sharp on first request from the largest stored JPEG, then kept on disk beside the
 * media). Drafts', scheduled and unused images have no crops.
 */
export async function imageRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  const pending = new Map<string, Promise<Buffer | undefined>>();

  const makeCrop = async (mediaId: number, key: string, crop: CropName): Promise<Buffer | undefined> => {
    // Asked every time: an image whose article is unpublished loses its crops at once.
    const media = await findPublishedHero(db, mediaId);
    const hash = media && hashOf(media);
    const source = media && bestJpeg(media, Number.POSITIVE_INFINITY);
    if (!hash?.startsWith(key) || !source) return undefined;
    const file = join(mediaRoot, 'crops', `${hash}-${crop}.jpg`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return cached;
    const original = await app.storage.media.get(source.path);
    if (!original) return undefined;
    const bytes = await cropImage(original, crop);
    await mkdir(join(mediaRoot, 'crops'), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return bytes;
  };

  app.get<{ Params: { file: string } }>('/images/:file', async (request, reply) => {
    const m = /^([1-9]\d{0,9})-([0-9a-f]{16})-(\w+)\.jpg$/.exec(request.params.file);
    if (!m || !isCropName(m[3])) return reply.callNotFound();
    const name = request.params.file;
    // One sharp run per crop, however many requests arrive together.
    let job = pending.get(name);
    if (!job) {
      job = makeCrop(Number(m[1]), m[2], m[3]).finally(() => pending.delete(name));
      pending.set(name, job);
    }
    const bytes = await job.catch(() => undefined);
    if (!bytes) return reply.callNotFound();
    // A day, not forever: an article unpublished stops showing its crops to caches too.
    return reply.header('Cache-Control', 'public, max-age=86400').type('image/jpeg').send(bytes);
  });
}
