import { join, resolve } from 'node:path';
import { LocalStore } from './local.store.js';
import { S3Connection, S3Store } from './s3.store.js';
import type { S3Settings } from './storage.config.js';
import type { Storage, Store } from './storage.types.js';

/**
 * The folders of this process that live in a bucket instead: a data folder's `media/` and
 * `narration/audio/`, mounted by openStorage. Code that names those folders (image processing,
 * the narrator, the CLI) reaches the bucket through storeAt without knowing where it is.
 */
const mounts = new Map<string, Store>();

/** The store behind a folder: the bucket mounted there, else the folder itself. */
export function storeAt(folder: string): Store {
  return mounts.get(resolve(folder)) ?? new LocalStore(resolve(folder));
}

/** Where a data folder keeps media and narration audio (the same paths on disk as always). */
export const storageFolders = (dataDir: string) => ({ media: join(dataDir, 'media'), audio: join(dataDir, 'narration', 'audio') });

/**
 * The stores of a process: the data folder's `media/` and `narration/audio/` by default, or the
 * `media/` and `narration/audio/` keys of one bucket that every instance shares, mounted over
 * those folders until close().
 */
export function openStorage(opts: { dataDir: string; s3?: S3Settings }): Storage {
  const folders = storageFolders(resolve(opts.dataDir));
  if (!opts.s3) return { media: new LocalStore(folders.media), audio: new LocalStore(folders.audio), close() {} };
  const connection = new S3Connection(opts.s3);
  const media = new S3Store(connection, 'media');
  const audio = new S3Store(connection, 'narration/audio');
  mounts.set(folders.media, media);
  mounts.set(folders.audio, audio);
  return {
    media,
    audio,
    close() {
      if (mounts.get(folders.media) === media) mounts.delete(folders.media);
      if (mounts.get(folders.audio) === audio) mounts.delete(folders.audio);
      connection.close();
    },
  };
}

/** Removes every file whose key starts with `prefix` (an image's folder of variants). */
export async function removeAll(store: Store, prefix: string): Promise<void> {
  for (const key of await store.list(prefix)) await store.delete(key);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where uploaded images and narration audio are kept (src/storage). */
    storage: Storage;
  }
}
