import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom, makeUser, mergeCookies, PASSWORD } from '../helpers/auth.js';
import { createTestDb, DIALECTS } from '../helpers/db.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(DIALECTS)('login hardening on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(() => h.close());

  it('rate-limits login attempts per address (429 with Retry-After)', async () => {
    const page = await h.app.inject('/admin/login');
    const cookie = mergeCookies('', page.headers['set-cookie']);
    const attempt = () =>
      h.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: '198.51.100.99',
        headers: { ...form, cookie },
        payload: new URLSearchParams({ email: 'nobody@example.com', password: 'wrong password', _csrf: csrfFrom(page.body) }).toString(),
      });
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await attempt()).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('rotates the session id at every login', async () => {
    const user = await makeUser(h.t.db, 'editor');
    const login = async () => {
      const page = await h.app.inject('/admin/login');
      const cookie = mergeCookies('', page.headers['set-cookie']);
      const res = await h.app.inject({
        method: 'POST',
        url: '/admin/login',
        headers: { ...form, cookie },
        payload: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.body) }).toString(),
      });
      return /gz_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    };
    const a = await login();
    const b = await login();
    expect(a && b && a !== b).toBe(true);
  });
});

describe('cookies behind a TLS-terminating proxy', () => {
  it('are Secure when GAZETTE_TRUST_PROXY=on and X-Forwarded-Proto is https, and not otherwise', async () => {
    const t = await createTestDb('sqlite');
    const trusted = await buildApp({ db: t.db, dialect: t.dialect, config: { ...t.config, trustProxy: true }, logger: false });
    const untrusted = await buildApp({ db: t.db, dialect: t.dialect, config: t.config, logger: false });
    try {
      const user = await makeUser(t.db, 'admin');
      for (const [app, secure] of [
        [trusted, true],
        [untrusted, false],
      ] as const) {
        const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' };
        const page = await app.inject({ url: '/admin/login', headers });
        expect(String(page.headers['set-cookie']).includes('Secure')).toBe(secure);
        const cookie = mergeCookies('', page.headers['set-cookie']);
        const res = await app.inject({
          method: 'POST',
          url: '/admin/login',
          headers: { ...headers, ...form, cookie },
          payload: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.body) }).toString(),
        });
        expect(res.statusCode).toBe(303);
        const session = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('gz_session='));
        expect(String(session).includes('Secure')).toBe(secure);
      }
    } finally {
      await trusted.close();
      await untrusted.close();
      await t.destroy();
    }
  });
});
