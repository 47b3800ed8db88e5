import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { LocalStore } from '../../src/storage/local.store.js';
import { S3Connection, S3Store } from '../../src/storage/s3.store.js';
import { loadS3Settings } from '../../src/storage/storage.config.js';
import { removeAll } from '../../src/storage/storage.js';
import type { Store } from '../../src/storage/storage.types.js';
import { startS3, type TestS3 } from './s3.server.js';

const text = async (stream: NodeJS.ReadableStream | undefined) => {
  let out = '';
  for await (const chunk of stream!) out += chunk;
  return out;
};

const scratch = mkdtempSync(join(tmpdir(), 'gazette-store-'));
let s3: TestS3;
let connection: S3Connection;
beforeAll(async () => {
  s3 = await startS3();
  connection = new S3Connection(s3.settings('gazette', 'site-a'));
});
afterAll(async () => {
  connection.close();
  await s3.close();
  rmSync(scratch, { recursive: true, force: true });
});

const stores: [string, () => Store][] = [
  ['a folder', () => new LocalStore(join(scratch, 'local'))],
  ['an S3 bucket', () => new S3Store(connection, 'media')],
];

describe.each(stores)('the store contract on %s', (_name, make) => {
  let store: Store;
  beforeAll(() => {
    store = make();
  });

  it('puts, reads, describes and deletes a file', async () => {
    await store.put('ab/one.jpg', Buffer.from('first bytes'), 'image/jpeg');
    expect((await store.get('ab/one.jpg'))?.toString()).toBe('first bytes');
    const info = await store.head('ab/one.jpg');
    expect(info?.size).toBe(11);
    expect(info?.etag).toMatch(/^"[^"]+"$/);
    expect(info?.modified).toBeInstanceOf(Date);
    // A second write replaces the whole file.
    await store.put('ab/one.jpg', Buffer.from('second'), 'image/jpeg');
    expect((await store.get('ab/one.jpg'))?.toString()).toBe('second');
    expect((await store.head('ab/one.jpg'))?.etag).not.toBe(info?.etag);
    await store.delete('ab/one.jpg');
    expect(await store.get('ab/one.jpg')).toBeUndefined();
    expect(await store.head('ab/one.jpg')).toBeUndefined();
  });

  it('answers undefined for a missing key, and deleting one is no error', async () => {
    expect(await store.get('zz/missing.jpg')).toBeUndefined();
    expect(await store.head('zz/missing.jpg')).toBeUndefined();
    expect(await store.stream('zz/missing.jpg')).toBeUndefined();
    await expect(store.delete('zz/missing.jpg')).resolves.toBeUndefined();
    expect(await store.list('zz/')).toEqual([]);
  });

  it('streams a whole file or a byte range of it', async () => {
    await store.put('cd/range.mp3', Buffer.from('0123456789'));
    expect(await text(await store.stream('cd/range.mp3'))).toBe('0123456789');
    expect(await text(await store.stream('cd/range.mp3', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await store.stream('cd/range.mp3', { start: 9, end: 9 }))).toBe('9');
  });

  it('lists by prefix and removes all under one', async () => {
    for (const k of ['ef/x/1.jpg', 'ef/x/2.jpg', 'ef/y/1.jpg']) await store.put(k, Buffer.from(k));
    expect((await store.list('ef/x/')).sort()).toEqual(['ef/x/1.jpg', 'ef/x/2.jpg']);
    expect((await store.list('ef/')).sort()).toEqual(['ef/x/1.jpg', 'ef/x/2.jpg', 'ef/y/1.jpg']);
    await removeAll(store, 'ef/x/');
    expect(await store.list('ef/')).toEqual(['ef/y/1.jpg']);
  });

  it('stores a finished local file and a folder of them, telling whether the folder is new', async () => {
    const file = join(scratch, `made-${_name.length}.mp3`);
    writeFileSync(file, 'audio bytes');
    await store.putFile('1-abc.mp3', file, 'audio/mpeg');
    expect(existsSync(file)).toBe(false);
    expect((await store.get('1-abc.mp3'))?.toString()).toBe('audio bytes');

    const folder = (names: string[]) => {
      const dir = mkdtempSync(join(scratch, 'staged-'));
      for (const n of names) writeFileSync(join(dir, n), `${n} bytes`);
      return dir;
    };
    expect(await store.putFolder('gh/image', folder(['480.jpg', '480.webp']), ['480.jpg', '480.webp'])).toBe(true);
    expect(await store.putFolder('gh/image', folder(['320.jpg']), ['320.jpg'])).toBe(false);
    expect((await store.list('gh/image/')).sort()).toEqual(['gh/image/320.jpg', 'gh/image/480.jpg', 'gh/image/480.webp']);
    expect((await store.get('gh/image/320.jpg'))?.toString()).toBe('320.jpg bytes');
  });

  it('refuses keys that could step outside the store', async () => {
    for (const key of ['../secret.key', 'a/../../b', '/etc/passwd', 'a//b', '.hidden', 'a/.tmp', 'a\\b']) {
      await expect(store.get(key), key).rejects.toThrow(/Not a storage key/);
    }
  });
});

describe('the local store', () => {
  it('keeps today’s paths on disk and leaves no temporary files or empty folders', async () => {
    const root = join(scratch, 'paths');
    const store = new LocalStore(root);
    await store.put('ab/abcd/480.jpg', Buffer.from('x'));
    expect(readdirSync(join(root, 'ab', 'abcd'))).toEqual(['480.jpg']);
    await store.delete('ab/abcd/480.jpg');
    expect(readdirSync(root)).toEqual([]);
    mkdirSync(join(root, 'keep'), { recursive: true });
    writeFileSync(join(root, 'keep', '.half.tmp'), 'partial');
    expect(await store.list('keep/')).toEqual([]);
  });
});

describe('an S3 store that cannot be reached', () => {
  it('fails with a 503 that names neither the secret nor a stack', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const settings = loadS3Settings({ GAZETTE_S3_URL: `http://KEY:top-secret@127.0.0.1:${port}/gazette` })!;
    const gone = new S3Connection(settings);
    try {
      const error = await new S3Store(gone, 'media').put('ab/x.jpg', Buffer.from('x')).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(503);
      expect(error.message).not.toContain('top-secret');
      expect(JSON.stringify(error)).not.toContain('top-secret');
    } finally {
      gone.close();
    }
  });
});
