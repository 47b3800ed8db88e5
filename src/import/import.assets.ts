import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { type ProcessedImage, processImage } from '../media/image.js';
import { saveMedia } from '../media/media.service.js';
import type { Variant } from '../media/media.table.js';
import { findMapped, remember } from './import.map.js';
import { candidatePaths, fetchMedia, type MediaSource } from './import.media.js';
import type { ImportSource } from './import.model.js';
import { type ImportReport, pushCapped } from './import.report.js';

/** An image of the export, found and ready to store. */
export interface FoundImage {
  key: string;
  /** Its address on this site (the largest JPEG variant). */
  url: string;
  /** New this run: stored when the post's transaction commits. */
  image?: ProcessedImage;
  mediaId?: number;
}

const newUrlOf = (variants: Variant[]) => {
  const jpegs = variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width);
  const best = jpegs[0] ?? variants[0];
  return best ? `/media/${best.path}` : undefined;
};

/**
 * The export's images on their way into the media library: looked up in the uploads (a folder or
 * zip, or downloaded with --fetch-media), validated and re-encoded by the media pipeline (metadata
 * stripped, variants made), each once per run and once across runs (remembered by its path).
 */
export class ImportAssets {
  private readonly found = new Map<string, FoundImage | null>();
  private readonly counted = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: {
      source: ImportSource;
      media?: MediaSource;
      fetch: boolean;
      mediaRoot: string;
      report: ImportReport;
      dryRun: boolean;
    },
  ) {}

  private keyOf(url: string): string {
    return this.opts.media?.locate(url) ?? candidatePaths(url)[0] ?? url;
  }

  private missing(url: string, where: string, key: string) {
    if (this.counted.has(key)) return;
    this.counted.add(key);
    this.opts.report.counts.media.skipped++;
    pushCapped(this.opts.report.missingMedia, { url, where });
  }

  /** The image an export URL names, or undefined when it is missing (reported once). */
  async find(url: string, where: string): Promise<FoundImage | undefined> {
    const key = this.keyOf(url);
    const cached = this.found.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = await this.lookUp(url, key, where);
    this.found.set(key, result ?? null);
    if (!result) this.missing(url, where, key);
    return result;
  }

  private async lookUp(url: string, key: string, where: string): Promise<FoundImage | undefined> {
    const mapped = (await findMapped(this.db, this.opts.source, 'media', [key])).get(key);
    if (mapped) {
      const row = await this.db.selectFrom('media').select(['id', 'variants']).where('id', '=', mapped.targetId).executeTakeFirst();
      const newUrl = row && newUrlOf(JSON.parse(row.variants));
      if (row && newUrl) {
        this.count(key, 'unchanged');
        return { key, url: newUrl, mediaId: row.id };
      }
    }
    const located = this.opts.media?.locate(url);
    if (this.opts.dryRun) {
      if (!located) return undefined;
      this.count(key, 'imported');
      return { key, url: `/media/${key}` };
    }
    let bytes = located ? (await this.opts.media?.find(url))?.bytes : undefined;
    if (!bytes && this.opts.fetch) bytes = await fetchMedia(url);
    if (!bytes) return undefined;
    try {
      const image = await processImage(bytes, this.opts.mediaRoot);
      const newUrl = newUrlOf(image.variants);
      if (!newUrl) return undefined;
      this.count(key, 'imported');
      return { key, url: newUrl, image };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      pushCapped(this.opts.report.warnings, { where, message: `${url}: ${error.message}` });
      return undefined;
    }
  }

  private count(key: string, as: 'imported' | 'unchanged') {
    if (this.counted.has(key)) return;
    this.counted.add(key);
    this.opts.report.counts.media[as]++;
  }

  /** Stores a found image in the library (in the post's transaction) and returns its id. */
  async store(trx: Executor, found: FoundImage, meta: { alt?: string; caption?: string; credit?: string } = {}): Promise<number> {
    if (found.mediaId !== undefined) return found.mediaId;
    if (!found.image) throw new Error('an image found in a dry run cannot be stored');
    const id = await saveMedia(trx, found.image, meta);
    await remember(trx, {
      source: this.opts.source,
      kind: 'media',
      sourceId: found.key,
      targetId: id,
      fingerprint: found.image.hash,
      now: new Date().toISOString(),
    });
    // Later posts of the run use the stored row (a failed batch ends the whole run).
    found.mediaId = id;
    found.image = undefined;
    return id;
  }

  close() {
    this.opts.media?.close();
  }
}
