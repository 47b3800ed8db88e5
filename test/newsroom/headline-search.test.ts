import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForNewsroom } from '../../src/articles/article.listing.js';
import type { Actor } from '../../src/users/user.table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';

const editor: Actor = { kind: 'session', userId: 1, name: 'Editor', role: 'editor', personId: null };

describe.each(DIALECTS)('newsroom headline search on %s', (dialect) => {
  let h: TestApp;
  const ids: Record<string, number> = {};
  const found = async (q: string) => (await listForNewsroom(h.t.db, editor, { q, page: 1 })).rows.map((r) => r.headline).sort();

  beforeAll(async () => {
    h = await createTestApp(dialect);
    ids.zebra = (await makeArticle(h.t.db, { headline: 'Zebra crossing repainted at Elm Street' })).id;
    ids.budget = (await makeArticle(h.t.db, { headline: 'Council budget: the vote is delayed' })).id;
    ids.quote = (await makeArticle(h.t.db, { headline: 'Mayor says "no" to 5G masts' })).id;
    await setArticleStatus(h.t.db, ids.budget, 'draft');
  });
  afterAll(async () => h?.close());

  it('finds any part of a word, in any case, drafts included; every word must be there', async () => {
    expect(await found('budg')).toEqual(['Council budget: the vote is delayed']);
    expect(await found('EBRA cross')).toEqual(['Zebra crossing repainted at Elm Street']);
    expect(await found('zebra budget')).toEqual([]);
    expect(await found('5g')).toEqual(['Mayor says "no" to 5G masts']);
    expect(await found('"no"')).toEqual(['Mayor says "no" to 5G masts']);
    expect(await found('elm st')).toEqual(['Zebra crossing repainted at Elm Street']);
  });

  it('follows a changed headline and a deleted article', async () => {
    await h.t.db.updateTable('articles').set({ headline: 'Pedestrian crossing repainted' }).where('id', '=', ids.zebra).execute();
    expect(await found('zebra')).toEqual([]);
    expect(await found('pedestrian')).toEqual(['Pedestrian crossing repainted']);
    await h.t.db.deleteFrom('articles').where('id', '=', ids.quote).execute();
    expect(await found('masts')).toEqual([]);
    expect((await listForNewsroom(h.t.db, editor, { q: 'repainted', page: 1 })).total).toBe(1);
  });

  it('answers odd searches on the page without an error', async () => {
    const session = await loginAs(h.app, h.t.db, 'editor');
    for (const q of ['"', '""', 'AND', 'NEAR(a b)', '*', 'a:b', "'; --", '%_\\', 'x'.repeat(300), '\u00e9t\u00e9']) {
      const res = await h.app.inject({ url: `/admin/articles?q=${encodeURIComponent(q)}`, headers: { cookie: session.cookie } });
      expect(res.statusCode, q).toBe(200);
    }
  });
});
