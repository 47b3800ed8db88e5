import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_ENV } from '../../src/cluster/messages.js';
import { RATE_MESSAGE, serveRateLimits } from '../../src/comments/comment.limiter.cluster.js';
import { MemoryRateLimitStore, type RateResult, type RateRule } from '../../src/comments/comment.limiter.js';
import { until } from './limits.helpers.js';

interface Forked {
  worker: Worker;
  kind: string;
  stdout: () => string;
  hit(keys: string[], rules: RateRule[], now: number): Promise<RateResult>;
}

const workers: Worker[] = [];
let asked = 0;

async function fork(env: Record<string, string> = { [WORKER_ENV]: '1' }): Promise<Forked> {
  const worker = cluster.fork(env);
  workers.push(worker);
  let out = '';
  worker.process.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  const kind = await new Promise<string>((resolve, reject) => {
    worker.on('message', (m) => m?.type === 'test:up' && resolve(m.kind));
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return {
    worker,
    kind,
    stdout: () => out,
    hit: (keys, rules, now) =>
      new Promise((resolve) => {
        const id = ++asked;
        const onMessage = ({ type, id: answered, ...result }: { type?: string; id?: number } & RateResult) => {
          if (type !== 'test:result' || answered !== id) return;
          worker.off('message', onMessage);
          resolve(result);
        };
        worker.on('message', onMessage);
        worker.send({ type: 'test:hit', id, keys, rules, now });
      }),
  };
}

const rules = [
  { max: 1, windowMs: 10_000 },
  { max: 3, windowMs: 3_600_000 },
];

describe('rate limits shared through the cluster primary', () => {
  beforeAll(() => {
    cluster.setupPrimary({
      exec: fileURLToPath(new URL('./fixtures/rate-worker.ts', import.meta.url)),
      execArgv: ['--import', 'tsx'],
      silent: true,
    });
  });
  afterAll(() => {
    for (const w of workers) if (!w.isDead()) w.process.kill();
  });

  it('gives Gazette workers the cluster store, and other cluster workers their own memory', async () => {
    const [ours, other] = await Promise.all([fork(), fork({})]);
    expect(ours.kind).toBe('cluster');
    expect(other.kind).toBe('memory');
  });

  it('answers every worker from one count: exactly one of two workers takes the last slot', async () => {
    const store = new MemoryRateLimitStore();
    const [a, b] = await Promise.all([fork(), fork()]);
    serveRateLimits(a.worker, store);
    const stopB = serveRateLimits(b.worker, store);
    // A stray message with the tag but no question behind it is ignored by the worker.
    b.worker.send({ type: RATE_MESSAGE, id: 999_999, ok: true, retryAfter: 0 });
    const hourly = [{ max: 3, windowMs: 3_600_000 }];
    const now = Date.now();
    // The primary's answer says how many hits are left, for the login and report throttles.
    expect(await a.hit(['ip:r'], hourly, now)).toEqual({ ok: true, retryAfter: 0, remaining: 2 });
    expect(await b.hit(['ip:r'], hourly, now)).toEqual({ ok: true, retryAfter: 0, remaining: 1 });
    const race = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hit(['ip:r'], hourly, now + 1)));
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    expect(await a.hit(['ip:s'], rules, now)).toEqual({ ok: true, retryAfter: 0, remaining: 0 });
    expect(await b.hit(['ip:s'], rules, now + 4000)).toEqual({ ok: false, retryAfter: 6, remaining: 0 });
    stopB();
    expect(a.stdout()).toBe('');
  });

  it('counts in the worker when the primary does not answer, and warns once', async () => {
    const w = await fork();
    const started = Date.now();
    expect(await w.hit(['ip:t'], rules, 0)).toEqual({ ok: true, retryAfter: 0, remaining: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await w.hit(['ip:t'], rules, 4000)).toEqual({ ok: false, retryAfter: 6, remaining: 0 });
    const warnings = w.stdout().trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, reason: 'no answer from the primary within 1000 ms' });
  });

  it('counts in the worker at once when the channel to the primary closes', async () => {
    const w = await fork();
    w.worker.send({ type: 'test:hit', id: 0, keys: ['ip:d'], rules, now: 0 });
    w.worker.disconnect();
    await until(() => w.stdout().includes('test:result'), 5000);
    const lines = w
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reason: expect.not.stringContaining('no answer') }),
      { type: 'test:result', id: 0, ok: true, retryAfter: 0, remaining: 0 },
    ]);
  });
});
