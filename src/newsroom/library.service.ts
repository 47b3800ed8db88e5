import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError, conflict, invalid, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { discardImage, mediaDir, type PreparedImage, placeImage, prepareImage } from '../media/image.js';
import { lockMediaFiles, mediaFilesInUse } from '../media/media.lock.js';
import { type MediaView, saveMedia, toMediaView } from '../media/media.service.js';
import { removeAll, storeAt } from '../storage/storage.js';
import type { Actor } from '../users/user.table.js';
import { MAX_UPLOAD_BYTES, type UploadedFile } from './upload.js';

export interface LibraryItem extends MediaView {
  caption: string;
  credit: string;
  bytes: number;
  mime: string;
  createdAt: string;
  /** Articles using it as their hero, people using it as their photo, the site logo. */
  uses: number;
}

export interface MediaMeta {
  alt: string;
  caption: string;
  credit: string;
}

function checkMeta(meta: MediaMeta): MediaMeta {
  const m = { alt: meta.alt.trim(), caption: meta.caption.trim(), credit: meta.credit.trim() };
  if (m.alt.length > 500) throw invalid('The alt text is longer than 500 characters.', 'alt');
  if (m.caption.length > 1000) throw invalid('The caption is longer than 1000 characters.', 'caption');
  if (m.credit.length > 300) throw invalid('The credit is longer than 300 characters.', 'credit');
  return m;
}

/**
 * Validates an uploaded image by its content, strips its metadata, writes its variants and
 * stores it with its alt text and credit. On any failure nothing is left on disk.
 */
export async function uploadImage(
  db: Kysely<Database>,
  input: { actor: Actor; file: UploadedFile | undefined; meta: MediaMeta; mediaRoot: string },
): Promise<number> {
  const { file } = input;
  if (!file || file.buffer.length === 0) throw invalid('Choose an image file to upload.', 'file');
  if (file.truncated || file.buffer.length > MAX_UPLOAD_BYTES) {
    throw new AppError('too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: make it smaller and try again.`, 'file');
  }
  const meta = checkMeta(input.meta);
  // A delete of the same picture may remove its files between preparing and storing: then again.
  for (let attempt = 1; ; attempt++) {
    let prepared: PreparedImage;
    try {
      prepared = await prepareImage(file.buffer, input.mediaRoot);
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, error.message, 'file', error.status);
      throw error;
    }
    const { image } = prepared;
    try {
      return await db.transaction().execute(async (trx) => {
        // Files are shared by content: under this lock no delete removes them until the row is stored.
        await lockMediaFiles(trx, image.hash);
        const id = await saveMedia(trx, image, meta);
        await trx
          .updateTable('media')
          .set({ uploaded_by: input.actor.userId })
          .where('id', '=', id)
          .where('uploaded_by', 'is', null)
          .execute();
        await recordEvent(trx, 'media.uploaded', id, { by: input.actor.name });
        if (!(await placeImage(input.mediaRoot, prepared))) throw new FilesGone();
        return id;
      });
    } catch (error) {
      if (image.fresh) await db.transaction().execute((trx) => removeUnusedFiles(trx, input.mediaRoot, image.hash));
      if (!(error instanceof FilesGone)) throw error;
      if (attempt >= 3) throw conflict('The image was deleted while it was being uploaded again: upload it once more.', 'file');
    } finally {
      await discardImage(prepared);
    }
  }
}

class FilesGone extends Error {}

/** Removes the files of `hash` unless a library row uses them; takes the files' lock (call in a transaction). */
async function removeUnusedFiles(trx: Executor, mediaRoot: string, hash: string): Promise<void> {
  await lockMediaFiles(trx, hash);
  if (!(await mediaFilesInUse(trx, hash))) await removeAll(storeAt(mediaRoot), `${mediaDir(hash)}/`);
}

async function usesOf(db: Executor, ids: number[]): Promise<Map<number, number>> {
  const uses = new Map<number, number>();
  if (ids.length === 0) return uses;
  const add = (id: number | null, n = 1) => {
    if (id !== null) uses.set(id, (uses.get(id) ?? 0) + n);
  };
  const [heroes, photos, logo] = await Promise.all([
    db.selectFrom('articles').select('hero_media_id').where('hero_media_id', 'in', ids).execute(),
    db.selectFrom('people').select('photo_media_id').where('photo_media_id', 'in', ids).execute(),
    db.selectFrom('settings').select('value').where('key', '=', 'logo').executeTakeFirst(),
  ]);
  for (const h of heroes) add(h.hero_media_id);
  for (const p of photos) add(p.photo_media_id);
  if (logo) add(Number(JSON.parse(logo.value)?.mediaId) || null);
  return uses;
}

export const LIBRARY_PAGE = 48;

/** The media library, newest first. */
export async function listLibrary(db: Executor, page: number): Promise<{ items: LibraryItem[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('media')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(LIBRARY_PAGE)
      .offset((page - 1) * LIBRARY_PAGE)
      .execute(),
    db
      .selectFrom('media')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  const uses = await usesOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    total: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      ...toMediaView(r),
      caption: r.caption,
      credit: r.credit,
      bytes: r.bytes,
      mime: r.mime,
      createdAt: r.created_at,
      uses: uses.get(r.id) ?? 0,
    })),
  };
}

export async function updateMediaMeta(trx: Executor, input: { id: number; meta: MediaMeta }): Promise<void> {
  const meta = checkMeta(input.meta);
  const result = await trx.updateTable('media').set(meta).where('id', '=', input.id).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notFound('No such image.');
  await recordEvent(trx, 'media.changed', input.id, {});
}

/** Deletes an image nobody uses, and its files in the same transaction (under their lock, so an upload of the same picture waits). */
export async function deleteMedia(db: Kysely<Database>, input: { id: number; actor: Actor; mediaRoot: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('media').select(['id', 'hash']).where('id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('No such image.');
    await lockMediaFiles(trx, row.hash);
    if ((await usesOf(trx, [row.id])).get(row.id))
      throw conflict('This image is in use (hero, author photo or logo): it cannot be deleted.');
    const deleted = await trx.deleteFrom('media').where('id', '=', row.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw notFound('No such image.');
    await recordEvent(trx, 'media.deleted', row.id, { by: input.actor.name });
    await removeUnusedFiles(trx, input.mediaRoot, row.hash);
  });
}

/** One image of the library with its details and uses (for the JSON API), or undefined. */
export async function findLibraryItem(db: Executor, id: number): Promise<LibraryItem | undefined> {
  const r = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const uses = await usesOf(db, [r.id]);
  return {
    ...toMediaView(r),
    caption: r.caption,
    credit: r.credit,
    bytes: r.bytes,
    mime: r.mime,
    createdAt: r.created_at,
    uses: uses.get(r.id) ?? 0,
  };
}
