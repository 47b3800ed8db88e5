import type { Readable } from 'node:stream';

/** What a store knows about one stored file without reading it. */
export interface ObjectInfo {
  size: number;
  /** A quoted entity tag: the same on every instance for an object store, size and time for a folder. */
  etag: string;
  modified: Date;
}

/** A part of a file, both ends included (as in an HTTP `Range`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Files kept by key: a folder on this machine or a bucket every instance shares. Keys are
 * relative paths with `/` between parts (`ab/ab12…/480.jpg`); a missing key reads as undefined.
 */
export interface Store {
  /** `local` or `s3`, and where (no secrets): for start messages and errors. */
  readonly description: string;
  /** Writes the whole file at once: a reader sees the old file or the new one, never a part. */
  put(key: string, bytes: Buffer, contentType?: string): Promise<void>;
  /** Stores a finished file made on this machine under `key`; the local file is gone afterwards. */
  putFile(key: string, path: string, contentType?: string): Promise<void>;
  /**
   * Stores the files `names` of a finished local folder under `prefix/` (taking them out of the
   * folder); true when nothing was stored under the prefix before (this call made it).
   */
  putFolder(prefix: string, folder: string, names: string[]): Promise<boolean>;
  get(key: string): Promise<Buffer | undefined>;
  /** The file (or a part of it) as a stream, for answering a request without holding it in memory. */
  stream(key: string, range?: ByteRange): Promise<Readable | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Removes a file; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
}

/** The stores of one process: uploaded images and their variants, and narration audio. */
export interface Storage {
  media: Store;
  audio: Store;
  /** Releases connections (an object store's sockets). */
  close(): void;
}

/** A key is a relative path of plain names: nothing that could step outside the store. */
export function checkKey(key: string): string {
  const parts = key.split('/');
  const bad = parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.') || /[\\\0]/.test(p));
  if (bad || key.length > 512) throw new Error(`Not a storage key: ${JSON.stringify(key.slice(0, 80))}`);
  return key;
}

/** Types of the files Gazette stores, by extension. */
export function contentTypeOf(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    avif: 'image/avif',
    webp: 'image/webp',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    mp3: 'audio/mpeg',
  };
  return types[ext] ?? 'application/octet-stream';
}
