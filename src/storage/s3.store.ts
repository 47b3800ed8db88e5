import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { AppError } from '../errors.js';
import { lazy } from '../lazy.js';
import { describeS3, type S3Settings } from './storage.config.js';
import { type ByteRange, checkKey, contentTypeOf, type ObjectInfo, type Store } from './storage.types.js';

/** The SDK is loaded the first time a bucket is used: a process on local files never loads it. */
const sdk = lazy<typeof S3>('@aws-sdk/client-s3');

/** One S3 client per process and bucket settings, made on first use. */
export class S3Connection {
  private made: S3.S3Client | undefined;

  constructor(readonly settings: S3Settings) {}

  get client(): S3.S3Client {
    const s = this.settings;
    this.made ??= new (sdk().S3Client)({
      endpoint: s.endpoint,
      region: s.region,
      forcePathStyle: s.forcePathStyle,
      credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
      // Checksums only where the API requires them: S3-compatible servers differ in what else they accept.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // A bucket that stops answering fails the request instead of holding it open.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
    return this.made;
  }

  close(): void {
    this.made?.destroy();
    this.made = undefined;
  }
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/** The bucket did not do what was asked (unreachable, refused, misconfigured): a 503 for the user, the cause in the log. */
export class StorageUnavailable extends AppError {
  constructor(
    readonly where: string,
    cause: unknown,
  ) {
    super('storage_unavailable', 'The file store is not answering: try again in a moment.');
    this.cause = cause;
  }
}

/** Files as objects in a bucket every instance reads and writes: `{prefix}{area}/{key}`. */
export class S3Store implements Store {
  readonly description: string;
  private readonly base: string;

  constructor(
    private readonly connection: S3Connection,
    area: string,
  ) {
    this.base = `${connection.settings.prefix}${area}/`;
    this.description = `${describeS3(connection.settings)}, keys ${this.base}…`;
  }

  /** Runs one request; a missing object is undefined, any other failure a StorageUnavailable. */
  private async attempt<T>(request: (client: S3.S3Client, api: typeof S3) => Promise<T>): Promise<T | undefined> {
    try {
      return await request(this.connection.client, sdk());
    } catch (error) {
      if (notFound(error)) return undefined;
      throw new StorageUnavailable(this.description, error);
    }
  }

  private object(key: string) {
    return { Bucket: this.connection.settings.bucket, Key: this.base + checkKey(key) };
  }

  async put(key: string, bytes: Buffer, contentType = contentTypeOf(key)): Promise<void> {
    const object = this.object(key);
    const done = await this.attempt((c, api) => c.send(new api.PutObjectCommand({ ...object, Body: bytes, ContentType: contentType })));
    if (!done) throw new StorageUnavailable(this.description, new Error(`the bucket ${object.Bucket} was not found`));
  }

  async putFile(key: string, path: string, contentType = contentTypeOf(key)): Promise<void> {
    // Narration audio is a few megabytes: read whole, so the length is known and a retry can resend.
    await this.put(key, await readFile(path), contentType);
    await rm(path, { force: true });
  }

  async putFolder(prefix: string, folder: string, names: string[]): Promise<boolean> {
    const fresh = (await this.list(`${checkKey(prefix)}/`)).length === 0;
    for (const name of names) await this.putFile(`${prefix}/${name}`, join(folder, name));
    return fresh;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const object = this.object(key);
    return this.attempt(async (c, api) => {
      const out = await c.send(new api.GetObjectCommand(object));
      return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    });
  }

  async stream(key: string, range?: ByteRange): Promise<Readable | undefined> {
    const object = { ...this.object(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined };
    return this.attempt(async (c, api) => (await c.send(new api.GetObjectCommand(object))).Body as Readable);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const object = this.object(key);
    const out = await this.attempt((c, api) => c.send(new api.HeadObjectCommand(object)));
    if (!out) return undefined;
    return { size: out.ContentLength ?? 0, etag: out.ETag ?? `"${out.ContentLength}"`, modified: out.LastModified ?? new Date(0) };
  }

  async delete(key: string): Promise<void> {
    const object = this.object(key);
    await this.attempt((c, api) => c.send(new api.DeleteObjectCommand(object)));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query = { Bucket: this.connection.settings.bucket, Prefix: this.base + prefix, ContinuationToken: token };
      const out = await this.attempt((c, api) => c.send(new api.ListObjectsV2Command(query)));
      if (!out) throw new StorageUnavailable(this.description, new Error(`the bucket ${query.Bucket} was not found`));
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.base.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
