import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/users/user.table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { ACCESS, BODIES, UPLOADS } from './access.table.js';

type Identity = 'anonymous' | 'bad token' | Role;
const ROLES: Role[] = ['writer', 'moderator', 'editor', 'admin'];
const IDENTITIES: Identity[] = ['anonymous', 'bad token', ...ROLES];

interface Ids {
  article: number;
  comment: number;
  section: string;
  slug: string;
}

/** A concrete URL for a route pattern, pointing at things that exist where it matters. */
function concrete(url: string, ids: Ids): string {
  const idFor = /^\/(api\/v1\/comments|admin\/comments|comments)\//.test(url)
    ? ids.comment
    : /^\/admin\/(media|tokens)\//.test(url)
      ? 999999
      : ids.article;
  return url
    .replace(':section/:slug', `${ids.section}/${ids.slug}`)
    .replace('/author/:slug', '/author/james-thompson')
    .replace('/tag/:slug', '/tag/budget')
    .replace(':section', ids.section)
    .replace(':id', String(idFor))
    .replace(':action', 'approve')
    .replace(':number', '1')
    .replace(':file', 'no-such-file.jpg')
    .replace(':page', '1')
    .replace(':kind', 'sections')
    .replace('*', 'no-such-file');
}

describe.each(DIALECTS)('access control over every route on %s', (dialect) => {
  let h: TestApp;
  let ids: Ids;
  const tokens = new Map<Identity, string>();
  beforeAll(async () => {
    h = await createTestApp(dialect);
    const a = await makeArticle(h.t.db, { section: 'Politics', authors: ['James Thompson'], tags: ['Budget'] });
    const posted = await h.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${a.id}/comments`,
      payload: { name: 'Matrix Reader', email: 'matrix@example.com', body: 'A comment for the access matrix.' },
    });
    const comment = posted.statusCode === 202 ? (posted.json() as { id: number }).id : 1;
    ids = { article: a.id, comment, section: 'politics', slug: a.slug };
    for (const role of ROLES) tokens.set(role, await makeToken(h.t.db, role));
    tokens.set('bad token', 'gz_not-a-real-token');
  });
  afterAll(() => h.close());

  it('every route has an entry in the access table', () => {
    const unknown = h.app.knownRoutes
      .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !(key in ACCESS));
    expect(unknown, 'routes nobody decided the access of: add them to test/hostile/access.table.ts').toEqual([]);
  });

  it('answers each identity as the table says', async () => {
    const wrong: string[] = [];
    const routes = h.app.knownRoutes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && `${r.method} ${r.url}` in ACCESS);
    // Reads first, then writes, so a write (e.g. an approval) cannot change what a read sees.
    routes.sort((x, y) => Number(x.method !== 'GET') - Number(y.method !== 'GET'));
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const access = ACCESS[key];
      for (const who of IDENTITIES) {
        const token = tokens.get(who);
        const res = await h.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url, ids),
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(route.method === 'GET' ? {} : { payload: (BODIES[key] ?? {}) as object }),
        });
        const s = res.statusCode;
        const csrfRefusal = s === 403 && /expired|not sent from this site|csrf/i.test(res.body);
        let ok: boolean;
        if (s >= 500) ok = false;
        else if (access === 'public') ok = !(s === 401 && who !== 'bad token') && !(s === 403 && !csrfRefusal);
        else if (who === 'anonymous')
          ok = route.url.startsWith('/api/') ? s === 401 : s === 303 && String(res.headers.location).startsWith('/admin/login');
        else if (who === 'bad token') ok = s === 401;
        else if (!access.includes(who)) ok = s === 403;
        else ok = s !== 401 && s !== 403;
        if (!ok) wrong.push(`${key} as ${who}: ${s} ${res.body.slice(0, 120).replace(/\s+/g, ' ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('decides on an upload before reading its body: login page for browsers, 401 for scripts, 403 for other roles', async () => {
    // A body that would fail to parse: any answer but the access decision means it was read.
    const broken = { 'content-type': 'multipart/form-data; boundary=XX' };
    const payload = '--XX\r\nContent-Disposition: form-data; na';
    for (const [key, page] of Object.entries(UPLOADS)) {
      const url = concrete(key.slice('POST '.length), ids);
      const send = (headers: Record<string, string>) => h.app.inject({ method: 'POST', url, headers: { ...broken, ...headers }, payload });
      const browser = await send({ accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
      expect(browser.statusCode, key).toBe(303);
      expect(browser.headers.location, key).toBe(`/admin/login?next=${encodeURIComponent(page)}`);
      const script = await send({ accept: 'application/json' });
      expect(script.statusCode, key).toBe(401);
      expect(script.json().error.code, key).toBe('unauthorized');
      const otherRole = await send({
        accept: 'text/html',
        authorization: `Bearer ${tokens.get(key.includes('media') ? 'moderator' : 'writer')}`,
      });
      expect(otherRole.statusCode, key).toBe(403);
    }
  });

  it('a staff session cannot change anything without the CSRF token', async () => {
    const { loginAs } = await import('../helpers/auth.js');
    const session = await loginAs(h.app, h.t.db, 'admin');
    for (const url of ['/admin/comments/bulk', '/admin/comments/settings', '/admin/articles', '/admin/logout']) {
      const res = await h.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: {} });
      expect(res.statusCode, url).toBe(403);
    }
    const api = await h.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: session.cookie },
      payload: BODIES['POST /api/v1/articles'] as object,
    });
    expect(api.statusCode).toBe(403);
  });
});
