import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { ZipFile } from 'yauzl';
import { ImportFormatError } from './import.model.js';

/** Limits that keep a hostile zip from filling the disk or the memory. */
export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxTotalBytes: number;
  /** One entry's uncompressed size. */
  maxEntryBytes: number;
  /** Uncompressed ÷ compressed size of one entry (beyond it: a zip bomb). */
  maxRatio: number;
}

export const ZIP_LIMITS: ZipLimits = { maxTotalBytes: 4 * 1024 ** 3, maxEntryBytes: 64 * 1024 ** 2, maxRatio: 200 };

/** The uploads of the old site, a folder or a zip, looked up by the path an export's URL names. */
export interface MediaSource {
  /** The file an export URL points at (its original, not a resized copy), or undefined. */
  find(url: string): Promise<{ key: string; bytes: Buffer } | undefined>;
  /** The file's key (stable across runs) without reading it. */
  locate(url: string): string | undefined;
  close(): void;
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif|tiff?)$/i;

/** Whether a URL names an image file (by its extension). */
export const looksLikeImage = (url: string) => IMAGE_EXT.test(pathPart(url));

function pathPart(url: string): string {
  let p = url.trim();
  try {
    p = new URL(p, 'http://old.invalid/').pathname;
  } catch {
    return '';
  }
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/**
 * The paths to look for, best first: the URL's path without the uploads prefix
 * (`wp-content/uploads/`, Ghost's `content/images/` and its `size/w600/` copies) and, for a
 * WordPress resized copy (`photo-300x200.jpg`, `photo-scaled.jpg`), its original.
 */
export function candidatePaths(url: string): string[] {
  let p = pathPart(url).replace(/^\/+/, '');
  if (!p) return [];
  const out: string[] = [];
  const marks = ['wp-content/uploads/', 'content/images/'];
  for (const mark of marks) {
    const at = p.indexOf(mark);
    if (at >= 0) {
      p = p.slice(at + mark.length);
      break;
    }
  }
  p = p.replace(/^size\/w\d+(h\d+)?\//, '');
  out.push(p);
  const original = p.replace(/-(\d+x\d+|scaled)(\.[a-z0-9]+)$/i, '$2');
  if (original !== p) out.push(original);
  return out.map((c) => c.toLowerCase());
}

/** Every suffix of a relative path ("a/b/c.jpg" → a/b/c.jpg, b/c.jpg, c.jpg), lower-cased. */
function suffixes(path: string): string[] {
  const parts = path.toLowerCase().split('/');
  return parts.map((_, i) => parts.slice(i).join('/'));
}

class Index<T> {
  private readonly bySuffix = new Map<string, T>();
  private readonly keyOf = new Map<T, string>();
  add(path: string, item: T) {
    this.keyOf.set(item, path);
    for (const s of suffixes(path)) if (!this.bySuffix.has(s)) this.bySuffix.set(s, item);
  }
  lookup(url: string): { item: T; key: string } | undefined {
    for (const c of candidatePaths(url)) {
      const item = this.bySuffix.get(c);
      if (item !== undefined) return { item, key: c };
    }
    return undefined;
  }
}

async function walk(root: string, dir: string, index: Index<string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, index);
    else if (entry.isFile() && IMAGE_EXT.test(entry.name)) index.add(relative(root, full).split(sep).join('/'), full);
  }
}

async function folderSource(dir: string): Promise<MediaSource> {
  const index = new Index<string>();
  await walk(dir, dir, index);
  return {
    locate: (url) => index.lookup(url)?.key,
    async find(url) {
      const hit = index.lookup(url);
      if (!hit) return undefined;
      return { key: hit.key, bytes: await readFile(hit.item) };
    },
    close() {},
  };
}

type Yauzl = typeof import('yauzl');
type Entry = import('yauzl').Entry;

const openZip = (yauzl: Yauzl, file: string) =>
  new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip),
    ),
  );

/** An entry name that would land outside the folder it is unpacked into. */
function unsafeName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-z]:/i.test(name) || isAbsolute(name)) return true;
  return name.split('/').some((part) => part === '..');
}

/** Reads a zip's directory and checks every entry before anything is used: bad paths and zip bombs are refused. */
async function zipSource(file: string, limits: ZipLimits): Promise<MediaSource> {
  const yauzl = (await import('yauzl')).default as unknown as Yauzl;
  let zip: ZipFile;
  try {
    zip = await openZip(yauzl, file);
  } catch (error) {
    throw new ImportFormatError(file, 'zip', `not a zip file we can read (${(error as Error).message})`);
  }
  const index = new Index<Entry>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => {
        // yauzl itself refuses entry names that climb out ("../") or are absolute.
        const path = /(?:invalid relative path|absolute path): (.*)$/.exec(e.message);
        reject(
          path
            ? new ImportFormatError(file, path[1], 'a path outside the upload folder: refused')
            : new ImportFormatError(file, 'zip', e.message),
        );
      });
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        const name = entry.fileName;
        if (unsafeName(name)) return reject(new ImportFormatError(file, name, 'a path outside the upload folder: refused'));
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes)
          return reject(new ImportFormatError(file, name, `the zip unpacks to more than ${limits.maxTotalBytes} bytes: refused`));
        if (entry.uncompressedSize > limits.maxEntryBytes)
          return reject(new ImportFormatError(file, name, `an entry larger than ${limits.maxEntryBytes} bytes: refused`));
        if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize))
          return reject(new ImportFormatError(file, name, 'compressed too well to be an image (a zip bomb?): refused'));
        if (!name.endsWith('/') && IMAGE_EXT.test(name)) index.add(name, entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  const read = (entry: Entry) =>
    new Promise<Buffer>((resolve, reject) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('cannot read'));
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limits.maxEntryBytes) stream.destroy(new Error('entry larger than it says'));
          else chunks.push(c);
        });
        stream.on('error', reject);
        stream.on('end', () => resolve(Buffer.concat(chunks)));
      });
    });
  return {
    locate: (url) => index.lookup(url)?.key,
    async find(url) {
      const hit = index.lookup(url);
      if (!hit) return undefined;
      try {
        return { key: hit.key, bytes: await read(hit.item) };
      } catch (error) {
        throw new ImportFormatError(file, hit.item.fileName, (error as Error).message);
      }
    },
    close: () => zip.close(),
  };
}

/** Opens `--media DIR|ZIP`: a folder is indexed, a zip's directory read and checked whole. */
export async function openMediaSource(path: string, limits: ZipLimits = ZIP_LIMITS): Promise<MediaSource> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new ImportFormatError(path, 'media', 'no such folder or zip file');
  }
  if (info.isDirectory()) return folderSource(path);
  const head = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    createReadStream(path, { start: 0, end: 3 })
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', () => resolve(Buffer.alloc(0)));
  });
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b)
    throw new ImportFormatError(path, 'media', 'give a folder or a .zip file of the uploads');
  return zipSource(path, limits);
}

/** Downloads an image an export links to (`--fetch-media`), within a time limit; undefined when it cannot. */
export async function fetchMedia(url: string, timeoutMs = 10_000, maxBytes = ZIP_LIMITS.maxEntryBytes): Promise<Buffer | undefined> {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!res.ok) return undefined;
    const buf = Buffer.from(await res.arrayBuffer());
    return buf.length <= maxBytes ? buf : undefined;
  } catch {
    return undefined;
  }
}
