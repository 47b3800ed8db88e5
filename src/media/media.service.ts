import type { Executor } from '../events.js';
import type { ProcessedImage } from './image.js';
import type { Media, Variant } from './media.table.js';

export interface MediaView {
  id: number;
  width: number;
  height: number;
  alt: string;
  variants: Variant[];
}

/** Stores a processed image once (by content hash) and returns its id. */
export async function saveMedia(
  trx: Executor,
  image: ProcessedImage,
  meta: { alt?: string; caption?: string; credit?: string } = {},
): Promise<number> {
  const existing = await trx.selectFrom('media').select('id').where('hash', '=', image.hash).executeTakeFirst();
  if (existing) return existing.id;
  const row = await trx
    .insertInto('media')
    .values({
      hash: image.hash,
      mime: image.mime,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
      alt: meta.alt ?? '',
      caption: meta.caption ?? '',
      credit: meta.credit ?? '',
      variants: JSON.stringify(image.variants),
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function toMediaView(row: Pick<Media, 'id' | 'width' | 'height' | 'alt' | 'variants'>): MediaView {
  return { id: row.id, width: row.width, height: row.height, alt: row.alt, variants: JSON.parse(row.variants) };
}

export async function findMediaByIds(db: Executor, ids: number[]): Promise<Map<number, MediaView>> {
  const map = new Map<number, MediaView>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('media')
    .select(['id', 'width', 'height', 'alt', 'variants'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const row of rows) map.set(row.id, toMediaView(row));
  return map;
}

/** A library image if a published article shows it as its hero (public derivatives such as crops are made only of those). */
export async function findPublishedHero(db: Executor, id: number): Promise<MediaView | undefined> {
  const row = await db
    .selectFrom('media')
    .select(['id', 'width', 'height', 'alt', 'variants'])
    .where('id', '=', id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('articles')
          .select('articles.id')
          .whereRef('articles.hero_media_id', '=', 'media.id')
          .where('articles.status', '=', 'published'),
      ),
    )
    .executeTakeFirst();
  return row ? toMediaView(row) : undefined;
}
