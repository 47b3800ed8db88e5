import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { pageUrl } from '../../src/cache/cache.http.js';
import { ConfigError, loadConfig, type TrustProxy } from '../../src/config.js';
import { proxyTrust } from '../../src/web/security.js';
import { makeToken, makeUser } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe('GAZETTE_TRUST_PROXY', () => {
  const dir = '/tmp/gazette-proxy-config-test';
  const parse = (value: string) => loadConfig({ GAZETTE_DATA: dir, GAZETTE_SECRET: 'x', GAZETTE_TRUST_PROXY: value }).trustProxy;

  it('reads off, on (one hop), a number of hops, or proxy addresses and ranges', () => {
    expect(parse('')).toBe(false);
    expect(parse('off')).toBe(false);
    expect(parse('on')).toBe(true);
    expect(parse('true')).toBe(true);
    expect(parse('1')).toBe(1);
    expect(parse('2')).toBe(2);
    expect(parse('10.0.0.0/8, 127.0.0.1,::1,fd00::/8')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
    for (const bad of ['sometimes', '10.0.0.0/33', '1.2.3', '99', '10.0.0.1,', 'fd00::/129']) {
      expect(() => parse(bad), bad).toThrow(ConfigError);
      expect(() => parse(bad), bad).toThrow('GAZETTE_TRUST_PROXY');
    }
  });

  it('believes X-Forwarded-Proto and -Host for the cache key only from a trusted peer', () => {
    const raw = (remoteAddress: string) => ({
      headers: { host: 'internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'news.example' },
      url: '/politics',
      socket: { remoteAddress },
    });
    const list = proxyTrust(['10.0.0.0/8']);
    expect(pageUrl(raw('10.1.2.3'), list)).toBe('https://news.example/politics');
    expect(pageUrl(raw('::ffff:10.1.2.3'), list)).toBe('https://news.example/politics');
    expect(pageUrl(raw('192.168.1.9'), list)).toBe('http://internal:3000/politics');
    expect(pageUrl(raw('192.168.1.9'), proxyTrust(1))).toBe('https://news.example/politics');
    expect(pageUrl(raw('10.1.2.3'), proxyTrust(false))).toBe('http://internal:3000/politics');
  });
});

describe.each(DIALECTS)('the client address behind proxies on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.destroy());

  async function appWith(trustProxy: TrustProxy) {
    const app = await buildApp({ db: t.db, dialect: t.dialect, config: { ...t.config, trustProxy }, logger: false });
    app.get('/whoami', async (request) => ({ ip: request.ip }));
    await app.ready();
    return app;
  }

  it('takes the right-most address that is not a trusted proxy', async () => {
    const cases: [TrustProxy, string, string | undefined, string][] = [
      [1, '127.0.0.1', '6.6.6.6, 1.2.3.4', '1.2.3.4'],
      [true, '127.0.0.1', '6.6.6.6, 1.2.3.4', '1.2.3.4'],
      [2, '127.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.7', '1.2.3.4'],
      [['127.0.0.1', '10.0.0.0/8'], '127.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.7', '1.2.3.4'],
      // A peer that is not a listed proxy is the client, whatever it claims.
      [['10.0.0.0/8'], '192.168.5.5', '6.6.6.6, 1.2.3.4', '192.168.5.5'],
      [false, '127.0.0.1', '6.6.6.6, 1.2.3.4', '127.0.0.1'],
    ];
    for (const [trust, remoteAddress, forwarded, want] of cases) {
      const app = await appWith(trust);
      const res = await app.inject({ url: '/whoami', remoteAddress, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
      expect(res.json().ip, JSON.stringify(trust)).toBe(want);
      await app.close();
    }
  });

  it('keeps a ban on an address and the login throttle whatever the client prefixes', async () => {
    const app = await appWith(1);
    try {
      const a = await makeArticle(t.db, { section: 'Politics' });
      const comment = (forwarded: string, n: number) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/articles/${a.id}/comments`,
          headers: { 'x-forwarded-for': forwarded },
          payload: { name: `Reader ${n}`, email: `reader${n}@example.com`, body: `A fair point about the budget, number ${n}.` },
        });
      const first = await comment('6.6.6.6, 1.2.3.4', 1);
      expect(first.statusCode, first.body).toBe(202);
      const moderator = await makeToken(t.db, 'moderator');
      const ban = await app.inject({
        method: 'POST',
        url: `/api/v1/comments/${first.json().id}/ban`,
        headers: { authorization: `Bearer ${moderator}` },
        payload: { reason: 'Abuse', address: true },
      });
      expect(ban.statusCode, ban.body).toBe(200);
      for (const [i, prefix] of ['7.7.7.7', '1.2.3.5', '8.8.8.8, 9.9.9.9', 'not-an-address'].entries()) {
        const again = await comment(`${prefix}, 1.2.3.4`, 10 + i);
        expect(again.statusCode, prefix).toBe(403);
        expect(again.json().error.message).toMatch(/network address/);
      }
      // Someone else behind the same proxy is not caught by it.
      expect((await comment('1.2.3.4, 5.6.7.8', 20)).statusCode).toBe(202);

      const user = await makeUser(t.db, 'editor');
      const login = (forwarded: string) =>
        app.inject({
          method: 'POST',
          url: '/admin/login',
          headers: { 'x-forwarded-for': forwarded, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ email: user.email, password: 'wrong password' }).toString(),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await login(`10.9.${i}.1, 4.3.2.1`)).statusCode);
      expect(statuses.slice(0, 10)).not.toContain(429);
      expect(statuses.slice(10)).toEqual([429, 429]);
      // Another client (the right-most address) still gets through.
      expect((await login('4.3.2.1, 4.3.2.2')).statusCode).not.toBe(429);
    } finally {
      await app.close();
    }
  });
});
