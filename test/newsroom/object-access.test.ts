import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/users/token.service.js';
import type { Role } from '../../src/users/user.table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { articleForm, FORM } from './newsroom.helpers.js';

/**
 * Object-level access on every staff route that takes an article (or its revisions, corrections,
 * narration) or an image: each route × role × owner, with the status each must answer. An
 * article a role may not open answers 404, exactly like a missing one; a role the route is not
 * for answers 403 before any article is looked at.
 */
type Who = 'anonymous' | Role;
type Target = 'own draft' | 'other draft' | 'other embargoed' | 'other published';
const CASES: [Who, Target][] = [
  ['anonymous', 'other published'],
  ['moderator', 'other published'],
  ['writer', 'own draft'],
  ['writer', 'other draft'],
  ['writer', 'other embargoed'],
  ['writer', 'other published'],
  ['editor', 'other draft'],
  ['editor', 'other published'],
  ['admin', 'other embargoed'],
];

interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  /** `{id}` is the target article. */
  url: string;
  /** Staff pages and forms use the browser session; the API a bearer token. */
  api?: boolean;
  body?: Record<string, string>;
  /** The expected status for each of CASES, in order. */
  expect: number[];
}

// anon, moderator, writer: own draft, other draft, other embargoed, other published; editor ×2; admin
const ROUTES: Route[] = [
  { method: 'GET', url: '/admin/articles/{id}/edit', expect: [303, 403, 200, 404, 404, 404, 200, 200, 200] },
  { method: 'GET', url: '/admin/articles/{id}/preview', expect: [303, 403, 200, 404, 404, 404, 200, 200, 200] },
  { method: 'GET', url: '/admin/articles/{id}/revisions', expect: [303, 403, 200, 404, 404, 404, 200, 200, 200] },
  { method: 'GET', url: '/admin/articles/{id}/revisions/diff?from=1&to=1', expect: [303, 403, 200, 404, 404, 404, 200, 200, 200] },
  { method: 'GET', url: '/admin/articles/{id}/narration', expect: [303, 403, 200, 404, 404, 404, 200, 200, 200] },
  // The admin gets past access; the form has no publication time, which an embargoed piece needs (422).
  { method: 'POST', url: '/admin/articles/{id}', body: articleForm(), expect: [303, 403, 303, 404, 404, 404, 303, 303, 422] },
  {
    method: 'POST',
    url: '/admin/articles/{id}/hero',
    body: { media_id: '{media}' },
    expect: [303, 403, 303, 404, 404, 404, 303, 303, 303],
  },
  {
    method: 'POST',
    url: '/admin/articles/{id}/revisions/1/restore',
    expect: [303, 403, 303, 404, 404, 404, 303, 303, 303],
  },
  // Corrections are for published articles, narration too: an editor's draft answers 409.
  {
    method: 'POST',
    url: '/admin/articles/{id}/corrections',
    body: { correction: 'It was Tuesday.' },
    expect: [303, 403, 403, 403, 403, 403, 409, 303, 409],
  },
  { method: 'POST', url: '/admin/articles/{id}/narration', expect: [303, 403, 403, 403, 403, 403, 409, 303, 409] },
  // The public API shows published articles to anyone; drafts only to who may open them.
  { method: 'GET', url: '/api/v1/articles/{id}', api: true, expect: [200, 200, 200, 404, 404, 200, 200, 200, 200] },
  {
    method: 'PATCH',
    url: '/api/v1/articles/{id}',
    api: true,
    body: { standfirst: 'Changed through the API.' },
    expect: [401, 403, 200, 404, 404, 404, 200, 200, 200],
  },
];

describe.each(DIALECTS)('object-level access on staff routes on %s', (dialect) => {
  let h: TestApp;
  const sessions = new Map<Role, StaffSession & { userId: number }>();
  const tokens = new Map<Role, string>();
  let otherWriter: number;
  let media: number;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    for (const role of ['writer', 'moderator', 'editor', 'admin'] as Role[]) {
      const s = await loginAs(h.app, h.t.db, role);
      sessions.set(role, s);
      tokens.set(role, (await createToken(h.t.db, { name: `${role} token`, role, userId: s.userId })).token);
    }
    otherWriter = (await loginAs(h.app, h.t.db, 'writer')).userId;
    media = await insertImage(sessions.get('writer')?.userId ?? null);
  });
  afterAll(() => h.close());

  async function insertImage(uploadedBy: number | null): Promise<number> {
    const row = await h.t.db
      .insertInto('media')
      .values({
        hash: `matrix-${Math.random().toString(16).slice(2)}`,
        mime: 'image/jpeg',
        width: 1600,
        height: 900,
        bytes: 1000,
        alt: 'A harbor at dawn',
        caption: '',
        credit: '',
        variants: '[]',
        created_at: new Date().toISOString(),
        uploaded_by: uploadedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A published article turned into the target: whose it is, and its status. */
  async function makeTarget(target: Target): Promise<number> {
    const { id } = await makeArticle(h.t.db, { headline: `Secret ${target} headline`, heroAlt: 'The harbor at dawn' });
    const owner = target === 'own draft' ? sessions.get('writer')?.userId : otherWriter;
    const status = target.endsWith('draft') ? 'draft' : target.endsWith('embargoed') ? 'scheduled' : 'published';
    const set = { created_by: owner ?? null, status, ...(status === 'published' ? {} : { published_at: null }) } as const;
    await h.t.db
      .updateTable('articles')
      .set(status === 'scheduled' ? { ...set, published_at: '2099-01-01T08:00:00.000Z' } : set)
      .where('id', '=', id)
      .execute();
    return id;
  }

  function send(route: Route, who: Who, id: number) {
    const url = route.url.replace('{id}', String(id));
    const session = who === 'anonymous' ? undefined : sessions.get(who);
    const token = who === 'anonymous' ? undefined : tokens.get(who);
    if (route.api) {
      return h.app.inject({
        method: route.method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(route.body ? { payload: route.body } : {}),
      });
    }
    const fields = Object.fromEntries(Object.entries(route.body ?? {}).map(([k, v]) => [k, v.replace('{media}', String(media))]));
    return h.app.inject({
      method: route.method,
      url,
      headers: { accept: 'text/html', ...(route.method === 'GET' ? {} : FORM), ...(session ? { cookie: session.cookie } : {}) },
      ...(route.method === 'GET'
        ? {}
        : { payload: new URLSearchParams({ ...(session ? { _csrf: session.csrf } : {}), ...fields }).toString() }),
    });
  }

  it('answers every route × role × owner as the table says, and never shows a hidden headline', async () => {
    const shared = new Map<Target, number>();
    for (const [, target] of CASES) if (!shared.has(target)) shared.set(target, await makeTarget(target));
    const wrong: string[] = [];
    for (const route of ROUTES) {
      for (const [i, [who, target]] of CASES.entries()) {
        // Writes get a fresh article each, so one case cannot change what the next one sees.
        const id = route.method === 'GET' ? (shared.get(target) as number) : await makeTarget(target);
        const res = await send(route, who, id);
        const want = route.expect[i];
        if (res.statusCode !== want) wrong.push(`${route.method} ${route.url} as ${who} on ${target}: ${res.statusCode}, want ${want}`);
        if (res.statusCode === 404 && res.body.includes(`Secret ${target} headline`))
          wrong.push(`${route.url} as ${who} shows the headline`);
        if (res.statusCode === 404 && !route.api && !/find that page/.test(res.body)) wrong.push(`${route.url} as ${who}: another 404`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a missing article and a hidden one alike', async () => {
    const writer = sessions.get('writer') as StaffSession;
    const hidden = await makeTarget('other draft');
    const missing = 999_999;
    for (const path of ['edit', 'preview', 'revisions', 'narration']) {
      const [a, b] = await Promise.all(
        [hidden, missing].map((id) => h.app.inject({ url: `/admin/articles/${id}/${path}`, headers: { cookie: writer.cookie } })),
      );
      expect([a.statusCode, b.statusCode], path).toEqual([404, 404]);
      expect(a.body.replaceAll(String(hidden), 'ID'), path).toBe(b.body.replaceAll(String(missing), 'ID'));
    }
    const restore = await h.app.inject({
      method: 'POST',
      url: `/admin/articles/${hidden}/revisions/7/restore`,
      headers: { ...FORM, cookie: writer.cookie },
      payload: `_csrf=${encodeURIComponent(writer.csrf)}`,
    });
    expect(restore.statusCode).toBe(404);
    expect(restore.body).toContain('No such article');
    // Nothing was written on the refused article.
    const row = await h.t.db.selectFrom('articles').select(['status', 'standfirst']).where('id', '=', hidden).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('lets writers change the details of their own images only', async () => {
    const own = media;
    const others = await insertImage(otherWriter);
    const cases: [Who, number, number][] = [
      ['anonymous', own, 303],
      ['moderator', own, 403],
      ['writer', own, 303],
      ['writer', others, 403],
      ['writer', 999_999, 404],
      ['editor', others, 303],
      ['admin', others, 303],
    ];
    for (const [who, id, want] of cases) {
      const s = who === 'anonymous' ? undefined : sessions.get(who);
      const res = await h.app.inject({
        method: 'POST',
        url: `/admin/media/${id}`,
        headers: { ...FORM, accept: 'text/html', ...(s ? { cookie: s.cookie } : {}) },
        payload: new URLSearchParams({ ...(s ? { _csrf: s.csrf } : {}), alt: `Changed by ${who}`, caption: '', credit: '' }).toString(),
      });
      expect(res.statusCode, `${who} on image ${id}`).toBe(want);
    }
    const alt = async (id: number) => (await h.t.db.selectFrom('media').select('alt').where('id', '=', id).executeTakeFirstOrThrow()).alt;
    expect(await alt(own)).toBe('Changed by writer');
    expect(await alt(others)).toBe('Changed by admin');
    // Deleting stays with editors and admins.
    const writer = sessions.get('writer') as StaffSession;
    const del = await h.app.inject({
      method: 'POST',
      url: `/admin/media/${own}/delete`,
      headers: { ...FORM, cookie: writer.cookie },
      payload: `_csrf=${encodeURIComponent(writer.csrf)}`,
    });
    expect(del.statusCode).toBe(403);
  });
});
