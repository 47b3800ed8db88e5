import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeS3, loadS3Settings } from '../../src/storage/storage.config.js';

describe('shared storage settings', () => {
  it('is off unless a bucket is named: files stay in the data folder', () => {
    expect(loadS3Settings({})).toBeUndefined();
    expect(loadS3Settings({ S3_REGION: 'eu-west-1' })).toBeUndefined();
  });

  it('reads GAZETTE_S3_URL: endpoint, keys, bucket, prefix, region and path style', () => {
    const s = loadS3Settings({
      GAZETTE_S3_URL: 'https://AKIA123:se%2Fcr%2Bet@minio.example.net:9000/media-bucket/site-a?region=eu-west-1',
    })!;
    expect(s).toMatchObject({
      endpoint: 'https://minio.example.net:9000',
      bucket: 'media-bucket',
      prefix: 'site-a/',
      region: 'eu-west-1',
      accessKeyId: 'AKIA123',
      forcePathStyle: true,
    });
    expect(s.secretAccessKey).toBe('se/cr+et');
    const aws = loadS3Settings({ GAZETTE_S3_URL: 'https://s3.eu-west-1.amazonaws.com/news?region=eu-west-1' })!;
    expect(aws).toMatchObject({ forcePathStyle: false, accessKeyId: undefined, prefix: '' });
    expect(loadS3Settings({ GAZETTE_S3_URL: 'http://k:s@127.0.0.1:9000/b12?path_style=off' })!.forcePathStyle).toBe(false);
  });

  it('reads the usual S3_* variables', () => {
    const s = loadS3Settings({
      S3_ENDPOINT: 'https://account.r2.cloudflarestorage.com',
      S3_BUCKET: 'gazette',
      S3_REGION: 'auto',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'on',
      S3_PREFIX: 'prod',
    })!;
    expect(s).toMatchObject({
      endpoint: 'https://account.r2.cloudflarestorage.com',
      bucket: 'gazette',
      region: 'auto',
      prefix: 'prod/',
      forcePathStyle: true,
    });
    // No endpoint: Amazon S3 itself, credentials from the SDK's usual sources.
    expect(loadS3Settings({ S3_BUCKET: 'gazette' })).toMatchObject({ endpoint: undefined, region: 'us-east-1', accessKeyId: undefined });
  });

  it('refuses settings that cannot work, with a clear message', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ GAZETTE_S3_URL: 'not a url' }, /GAZETTE_S3_URL must be an http/],
      [{ GAZETTE_S3_URL: 'ftp://h/b' }, /must start with http/],
      [{ GAZETTE_S3_URL: 'https://k:s@host:9000' }, /must name the bucket/],
      [{ GAZETTE_S3_URL: 'https://k:s@host/Bad_Bucket' }, /not a bucket name/],
      [{ GAZETTE_S3_URL: 'https://k@host/bucket' }, /both the access key id and the secret/],
      [{ GAZETTE_S3_URL: 'https://k:s@host/bucket?regoin=x' }, /unknown option "regoin"/],
      [{ GAZETTE_S3_URL: 'https://k:s@host/bucket?path_style=maybe' }, /path_style must be "on" or "off"/],
      [{ GAZETTE_S3_URL: 'https://host/bucket', S3_BUCKET: 'other' }, /not both/],
      [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, /need S3_BUCKET/],
      [{ S3_BUCKET: 'gazette', S3_ENDPOINT: 'localhost:9000' }, /S3_ENDPOINT must/],
      [{ S3_BUCKET: 'gazette', S3_FORCE_PATH_STYLE: 'sometimes' }, /S3_FORCE_PATH_STYLE must be "on" or "off"/],
      [{ S3_BUCKET: 'gazette', S3_ACCESS_KEY_ID: 'id' }, /both the access key id and the secret/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadS3Settings(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadS3Settings(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it('is part of the configuration, and a bad value stops the start', () => {
    expect(loadConfig({ GAZETTE_SECRET: 'x', GAZETTE_S3_URL: 'http://k:s@127.0.0.1:9000/gazette' }).s3?.bucket).toBe('gazette');
    expect(loadConfig({ GAZETTE_SECRET: 'x' }).s3).toBeUndefined();
    expect(() => loadConfig({ GAZETTE_SECRET: 'x', S3_BUCKET: 'x' })).toThrow(ConfigError);
  });

  it('never shows the secret key when printed, logged or described', () => {
    const s = loadS3Settings({ GAZETTE_S3_URL: 'http://KEYID:very-secret-value@127.0.0.1:9000/gazette' })!;
    const config = loadConfig({ GAZETTE_SECRET: 'x', GAZETTE_S3_URL: 'http://KEYID:very-secret-value@127.0.0.1:9000/gazette' });
    for (const shown of [JSON.stringify(s), inspect(s), String(describeS3(s)), JSON.stringify(config), inspect(config, { depth: 5 })]) {
      expect(shown).not.toContain('very-secret-value');
    }
    expect(describeS3(s)).toBe('bucket gazette at http://127.0.0.1:9000');
  });
});
