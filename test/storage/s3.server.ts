import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Settings } from '../../src/storage/storage.config.js';
import { loadS3Settings } from '../../src/storage/storage.config.js';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export const TEST_KEY = { id: 'S3RVER', secret: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  /** Where the server keeps its objects (a temp folder). */
  directory: string;
  /** Settings for a bucket of this server (made at start), read as Gazette reads GAZETTE_S3_URL. */
  settings(bucket?: string, prefix?: string): S3Settings;
  close(): Promise<void>;
}

/** A real S3-protocol server in this process, on a free port, its objects in a temp folder. */
export async function startS3(buckets = ['gazette']): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'gazette-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    directory,
    settings: (bucket = buckets[0], prefix = '') =>
      loadS3Settings({ GAZETTE_S3_URL: `http://${TEST_KEY.id}:${TEST_KEY.secret}@127.0.0.1:${port}/${bucket}/${prefix}` })!,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
