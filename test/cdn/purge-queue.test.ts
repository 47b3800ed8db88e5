import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cdnConfig } from '../../src/cdn/cdn.config.js';
import { cdnTargets } from '../../src/cdn/cdn.purge.js';
import { type CdnTarget, PurgeQueue, retryWait } from '../../src/cdn/cdn.queue.js';
import { ConfigError } from '../../src/config.js';
import { eventually, type Recorder, startRecorder } from './recorder.js';

function memoryLog() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
  };
}

describe('CDN settings', () => {
  it('reads Varnish, Fastly and Cloudflare settings and refuses incomplete ones', () => {
    expect(cdnConfig({})).toBeUndefined();
    expect(cdnConfig({ GAZETTE_CDN_PURGE_URL: 'http://varnish-a:6081, http://varnish-b:6081/' })).toEqual({
      kind: 'varnish',
      urls: ['http://varnish-a:6081', 'http://varnish-b:6081'],
    });
    expect(
      cdnConfig({ GAZETTE_CDN: 'fastly', GAZETTE_FASTLY_SERVICE: 'SU1Z0isxPaozGVKXdv0eY', GAZETTE_FASTLY_TOKEN: 'tok' }),
    ).toMatchObject({
      kind: 'fastly',
      apiUrl: 'https://api.fastly.com',
    });
    expect(() => cdnConfig({ GAZETTE_CDN: 'akamai' })).toThrow(ConfigError);
    expect(() => cdnConfig({ GAZETTE_CDN: 'varnish' })).toThrow(/GAZETTE_CDN_PURGE_URL/);
    expect(() => cdnConfig({ GAZETTE_CDN_PURGE_URL: 'ftp://x' })).toThrow(/http/);
    expect(() => cdnConfig({ GAZETTE_CDN: 'cloudflare', GAZETTE_CLOUDFLARE_ZONE: 'z1' })).toThrow(/GAZETTE_CLOUDFLARE_TOKEN/);
    expect(() => cdnConfig({ GAZETTE_CDN: 'fastly', GAZETTE_FASTLY_SERVICE: '../x', GAZETTE_FASTLY_TOKEN: 'secret-token' })).toThrow(
      /GAZETTE_FASTLY_SERVICE/,
    );
  });
});

describe('the purge queue', () => {
  let api: Recorder;
  beforeEach(async () => {
    api = await startRecorder();
  });
  afterEach(() => api.close());

  const varnish = () => cdnTargets({ kind: 'varnish', urls: [api.url] })[0];

  it('sends keys in batches no larger than the target takes, and * as one purge of everything', async () => {
    const target: CdnTarget = { ...varnish(), maxKeys: 3 };
    const queue = new PurgeQueue(target, memoryLog());
    queue.add(['a:1', 'a:2', 'a:3', 'a:4']);
    queue.add(['a:2', 'a:5']);
    await eventually(() => queue.idle);
    expect(api.calls.map((c) => [c.method, c.path, c.headers['xkey-purge']])).toEqual([
      ['PURGE', '/', 'a:1 a:2 a:3'],
      ['PURGE', '/', 'a:4 a:5'],
    ]);
    queue.add(['a:6', '*', 'a:7']);
    await eventually(() => queue.idle);
    expect(api.calls.slice(2).map((c) => c.headers['xkey-purge'])).toEqual(['gazette:all']);
  });

  it('turns an overflowing queue into one purge of everything', async () => {
    api.answer = () => ({ status: 503 });
    const queue = new PurgeQueue(varnish(), memoryLog(), { maxPending: 50, retryMs: 20, maxRetryMs: 20 });
    queue.add(Array.from({ length: 10 }, (_, i) => `article:${i}`));
    await eventually(() => api.calls.length >= 1);
    queue.add(Array.from({ length: 100 }, (_, i) => `article:${i + 100}`));
    api.answer = () => ({ status: 200 });
    await eventually(() => queue.idle);
    const after = api.calls.filter((c) => c.headers['xkey-purge'] === 'gazette:all');
    expect(after.length).toBe(1);
    expect(api.calls.at(-1)?.headers['xkey-purge']).toBe('gazette:all');
  });

  it('retries with growing waits, logs a run of failures once, and says when it works again', async () => {
    let failures = 4;
    api.answer = () => (failures-- > 0 ? { status: 500 } : { status: 200 });
    const log = memoryLog();
    const queue = new PurgeQueue(varnish(), log, { retryMs: 20, maxRetryMs: 200 });
    queue.add(['article:1']);
    queue.add(['article:2']);
    await eventually(() => queue.idle);
    expect(api.calls.length).toBe(5);
    expect(api.calls.every((c) => c.headers['xkey-purge'] === 'article:1 article:2')).toBe(true);
    expect([1, 2, 3, 4, 9, 20].map((n) => retryWait(n, 250, 30_000))).toEqual([250, 500, 1000, 2000, 30_000, 30_000]);
    expect(log.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'warn CDN purge failed: retrying with back-off',
      'info CDN purge works again',
    ]);
  });

  it('keeps trying while a target is down, without waiting for it', async () => {
    api.answer = () => ({ status: 502 });
    const log = memoryLog();
    const queue = new PurgeQueue(varnish(), log, { retryMs: 10, maxRetryMs: 10 });
    queue.add(['article:1']);
    await eventually(() => api.calls.length >= 4);
    expect(queue.idle).toBe(false);
    expect(log.lines.length).toBe(1);
    await queue.close();
    const sent = api.calls.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(api.calls.length).toBe(sent);
  });

  it('never logs an API token', async () => {
    api.answer = () => ({ status: 403, body: '{"success":false}' });
    const log = memoryLog();
    const targets = cdnTargets({ kind: 'cloudflare', apiUrl: api.url, zone: 'zone1', token: 'cf-secret-token-123' });
    targets.push(...cdnTargets({ kind: 'fastly', apiUrl: api.url, service: 'svc1', token: 'fastly-secret-token-456' }));
    const queues = targets.map((t) => new PurgeQueue(t, log, { retryMs: 10, maxRetryMs: 10 }));
    for (const q of queues) q.add(['article:1']);
    await eventually(() => log.lines.length >= 2);
    await Promise.all(queues.map((q) => q.close()));
    const text = JSON.stringify(log.lines);
    expect(text).toContain('403');
    expect(text).not.toContain('secret-token');
  });
});
