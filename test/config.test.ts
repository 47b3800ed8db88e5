import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'gazette-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('has the defaults of the specification', () => {
    const c = loadConfig({ GAZETTE_DATA: dir });
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: dir,
      databaseUrl: undefined,
      redisUrl: undefined,
      demo: true,
      trustProxy: false,
      schedulerInterval: 1000,
      logLevel: 'info',
      workers: 1,
      pgPrepare: true,
    });
  });

  it('generates a secret once and keeps it in the data folder', () => {
    const first = loadConfig({ GAZETTE_DATA: dir }).secret;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first);
    expect(loadConfig({ GAZETTE_DATA: dir }).secret).toBe(first);
    expect(loadConfig({ GAZETTE_DATA: dir, GAZETTE_SECRET: 'from-env' }).secret).toBe('from-env');
  });

  it('reads every variable', () => {
    const c = loadConfig({
      GAZETTE_DATA: dir,
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/g',
      REDIS_URL: 'redis://r:6379',
      GAZETTE_DEMO: 'off',
      GAZETTE_TRUST_PROXY: 'on',
      GAZETTE_SCHEDULER_MS: '250',
      LOG_LEVEL: 'warn',
      GAZETTE_WORKERS: '3',
      GAZETTE_PG_PREPARE: 'off',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db:5432/g',
      redisUrl: 'redis://r:6379',
      demo: false,
      trustProxy: true,
      schedulerInterval: 250,
      logLevel: 'warn',
      workers: 3,
      pgPrepare: false,
    });
    expect(loadConfig({ GAZETTE_DATA: dir, GAZETTE_WORKERS: 'auto' }).workers).toBe(Math.min(availableParallelism(), 64));
  });

  it('refuses wrong values with a message naming the variable', () => {
    const bad: Record<string, string>[] = [
      { PORT: 'abc' },
      { PORT: '70000' },
      { DATABASE_URL: 'mysql://x' },
      { GAZETTE_DEMO: 'maybe' },
      { GAZETTE_TRUST_PROXY: 'sometimes' },
      { GAZETTE_SCHEDULER_MS: 'fast' },
      { GAZETTE_SCHEDULER_MS: '0' },
      { LOG_LEVEL: 'loud' },
      { GAZETTE_WORKERS: '0' },
      { GAZETTE_WORKERS: 'many' },
      { GAZETTE_WORKERS: '65' },
      { GAZETTE_PG_PREPARE: 'sometimes' },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0];
      expect(() => loadConfig({ GAZETTE_DATA: dir, ...env }), name).toThrow(ConfigError);
      expect(() => loadConfig({ GAZETTE_DATA: dir, ...env }), name).toThrow(name);
    }
  });
});
