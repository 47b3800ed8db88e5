import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { type ByteRange, checkKey, type ObjectInfo, type Store } from './storage.types.js';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files in a folder of this machine: the default, and what a single instance needs. A write goes
 * to a hidden temporary file beside its place and is renamed over it, so a reader never sees half.
 */
export class LocalStore implements Store {
  readonly description: string;

  constructor(readonly root: string) {
    this.description = `folder ${root}`;
  }

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split('/'));
  }

  private async place(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  put(key: string, bytes: Buffer): Promise<void> {
    return this.place(key, (tmp) => writeFile(tmp, bytes));
  }

  async putFile(key: string, path: string): Promise<void> {
    try {
      const target = this.path(key);
      await mkdir(dirname(target), { recursive: true });
      await rename(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Another file system: copy beside the target, then rename.
      await this.place(key, (tmp) => copyFile(path, tmp));
      await rm(path, { force: true });
    }
  }

  async putFolder(prefix: string, folder: string, names: string[]): Promise<boolean> {
    const target = this.path(prefix);
    await mkdir(dirname(target), { recursive: true });
    // The whole folder moved into place at once when none is there yet; else file by file beside the others.
    const moved = await rename(folder, target).then(
      () => true,
      () => false,
    );
    if (moved) return true;
    for (const name of names) await this.putFile(`${prefix}/${name}`, join(folder, name));
    return false;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readFile(this.path(key)).catch((error) => {
      if (missing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    });
  }

  async stream(key: string, range?: ByteRange): Promise<Readable | undefined> {
    // Opened first, so a missing file is known before an answer starts.
    const handle = await open(this.path(key), 'r').catch((error) => {
      if (missing(error)) return undefined;
      throw error;
    });
    if (!handle) return undefined;
    // The stream owns the handle and closes it at its end or on error.
    return handle.createReadStream({ start: range?.start, end: range?.end });
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.path(key)).catch((error) => {
      if (missing(error)) return undefined;
      throw error;
    });
    if (!info?.isFile()) return undefined;
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    return { size: info.size, etag, modified: info.mtime };
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await rm(path, { force: true });
    // Empty folders left behind (an image's folder once its last variant is gone) go too.
    for (let dir = dirname(path); dir.startsWith(this.root + sep); dir = dirname(dir)) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/');
    const base = slash === -1 ? this.root : this.path(prefix.slice(0, slash));
    const names = await readdir(base, { recursive: true, withFileTypes: true }).catch((error) => {
      if (missing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw error;
    });
    return names
      .filter((d) => d.isFile() && !d.name.startsWith('.'))
      .map((d) => relative(this.root, join(d.parentPath, d.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.split('/').some((p) => p.startsWith('.')));
  }
}
