import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { CACHE_ON } from '../cache/cache.helpers.js';
import { csrfFrom, makeUser, PASSWORD } from '../helpers/auth.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

const cookieNamed = (setCookie: string | string[] | undefined, name: string) =>
  [setCookie ?? []].flat().find((c) => c.startsWith(`${name}=`));

describe.each(DIALECTS)('Strict-Transport-Security with the page cache on %s', (dialect) => {
  let t: TestDb;
  let trusting: FastifyInstance;
  let direct: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    const options = { db: t.db, dialect: t.dialect, logger: false, cache: CACHE_ON } as const;
    trusting = await buildApp({ ...options, config: { ...t.config, trustProxy: true } });
    direct = await buildApp({ ...options, config: { ...t.config, trustProxy: false } });
    await Promise.all([trusting.ready(), direct.ready()]);
    url = (await makeArticle(t.db)).url;
  });
  afterAll(async () => {
    await trusting.close();
    await direct.close();
    await t.destroy();
  });

  it('keeps the page an HTTP reader got apart from the HTTPS one: HSTS never reaches plain HTTP', async () => {
    const http = { 'x-forwarded-proto': 'http', host: 'news.example' };
    const https = { 'x-forwarded-proto': 'https', host: 'news.example' };
    const first = await trusting.inject({ url, headers: http });
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['strict-transport-security']).toBeUndefined();
    // The same page asked for over HTTPS is another entry, rendered with the header.
    const secure = await trusting.inject({ url, headers: https });
    expect(secure.headers['x-cache']).toBe('MISS');
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000');
    const again = await trusting.inject({ url, headers: http });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.headers['strict-transport-security']).toBeUndefined();
    // A hit of the HTTPS entry carries it like the render that stored it.
    const secureHit = await trusting.inject({ url, headers: https });
    expect(secureHit.headers['x-cache']).toBe('HIT');
    expect(secureHit.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('ignores X-Forwarded-Proto unless the proxy is trusted', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await direct.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

describe.each(DIALECTS)('security headers and cookies on %s', (dialect) => {
  let t: TestDb;
  let app: FastifyInstance;
  let pages: string[];
  beforeAll(async () => {
    t = await createTestDb(dialect);
    // Behind a TLS-terminating proxy, as GAZETTE_TRUST_PROXY=on runs it.
    app = await buildApp({ db: t.db, dialect: t.dialect, config: { ...t.config, trustProxy: true }, logger: false });
    await app.ready();
    const a = await makeArticle(t.db, { section: 'Politics', authors: ['Ana Ruiz'], tags: ['Budget'] });
    pages = [
      '/',
      '/politics',
      a.url,
      '/author/ana-ruiz',
      '/tag/budget',
      '/search?q=budget',
      '/no/such/page',
      '/admin/login',
      '/api/v1/articles',
      '/feed.xml',
    ];
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  it('sends a strict Content-Security-Policy and the other headers on every kind of answer', async () => {
    for (const url of pages) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBeLessThan(500);
      const csp = directives(String(res.headers['content-security-policy']));
      const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
      expect(scripts, url).not.toContain("'unsafe-inline'");
      expect(scripts, url).not.toContain("'unsafe-eval'");
      expect(
        scripts.some((s) => s === '*' || s.startsWith('http') || s === 'data:'),
        url,
      ).toBe(false);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      expect(csp.get('base-uri'), url).toBeDefined();
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('form-action'), url).toEqual(["'self'"]);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toMatch(/^(no-referrer|strict-origin|strict-origin-when-cross-origin|same-origin)$/);
      expect(res.headers['permissions-policy'], url).toContain('camera=()');
      // The FLoC trial it named is long gone; browsers warn about the unknown feature.
      expect(res.headers['permissions-policy'], url).not.toContain('interest-cohort');
      expect(res.headers['permissions-policy'], url).toContain('browsing-topics=()');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      // Plain HTTP: no Strict-Transport-Security.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('sends Strict-Transport-Security for a year on every answer over HTTPS, never over HTTP', async () => {
    for (const url of pages) {
      const secure = await app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      expect(secure.headers['strict-transport-security'], url).toBe('max-age=31536000');
      const plain = await app.inject({ url, headers: { 'x-forwarded-proto': 'http' } });
      expect(plain.headers['strict-transport-security'], url).toBeUndefined();
    }
    // The proxy nearest the server speaks last: "https, http" arrived over plain HTTP.
    const chain = await app.inject({ url: '/', headers: { 'x-forwarded-proto': 'https, http' } });
    expect(chain.headers['strict-transport-security']).toBeUndefined();
  });

  it('puts no inline script, event handler or inline style in reader pages (the policy would block them)', async () => {
    for (const url of pages.filter((p) => !p.startsWith('/api') && !p.endsWith('.xml'))) {
      const html = (await app.inject(url)).body;
      const inline = [...html.matchAll(/<script\b([^>]*)>/g)].filter(
        (m) => !/\bsrc=/.test(m[1]) && !/type="application\/(ld\+)?json"/.test(m[1]),
      );
      expect(
        inline.map((m) => m[0]),
        url,
      ).toEqual([]);
      expect(html.match(/<[^>]+\son[a-z]+\s*=/gi) ?? [], url).toEqual([]);
      expect(html.match(/<[^>]+\sstyle\s*=/gi) ?? [], url).toEqual([]);
      expect(html, url).not.toMatch(/(href|src|action)\s*=\s*["']?\s*javascript:/i);
    }
  });

  it('marks cookies HttpOnly and SameSite, and Secure behind HTTPS', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    const form = await app.inject({ url: '/admin/login', headers: https });
    const csrf = cookieNamed(form.headers['set-cookie'], 'gz_csrf');
    expect(csrf).toMatch(/; HttpOnly/i);
    expect(csrf).toMatch(/; SameSite=(Lax|Strict)/i);
    expect(csrf).toMatch(/; Secure/i);
    const user = await makeUser(t.db, 'editor');
    const login = await app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...https, cookie: String(csrf).split(';')[0], 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: csrfFrom(form.body) }).toString(),
    });
    expect(login.statusCode).toBe(303);
    const session = cookieNamed(login.headers['set-cookie'], 'gz_session');
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=(Lax|Strict)/i);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; Path=\//i);
    // Plain HTTP on loopback (development): no Secure flag, or the browser would drop the cookie.
    const plain = await app.inject('/admin/login');
    expect(cookieNamed(plain.headers['set-cookie'], 'gz_csrf')).not.toMatch(/; Secure/i);
  });

  it('keeps staff pages and API answers out of shared caches', async () => {
    const login = await app.inject('/admin/login');
    expect(String(login.headers['cache-control'] ?? 'private')).not.toMatch(/public/);
    const reader = await app.inject('/politics');
    expect(reader.headers['cache-control']).toMatch(/^public/);
  });
});
