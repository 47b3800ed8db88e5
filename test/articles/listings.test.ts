import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingTables } from '../../src/articles/article.table.js';
import { type Cursor, countListed, type ListRef } from '../../src/articles/listing.repo.js';
import { FIRST_PAGE, type ListingPage, listingPage, type PageAt, pageAt } from '../../src/articles/listing.service.js';
import { AppError } from '../../src/errors.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const SIZE = 5;

describe.each(DIALECTS)('listing pages on %s', (dialect) => {
  let t: TestDb;
  let lists: Record<'section' | 'author' | 'tag', ListRef>;
  /** Every article of the lists, newest first (ties: higher id first). */
  let expected: number[];
  // Three articles at each minute: ties inside pages and across their edges.
  const minute = (i: number) => new Date(Date.parse('2026-11-01T12:00:00.000Z') - Math.floor(i / 3) * 60_000);

  const page = async (list: ListRef, at: PageAt): Promise<ListingPage> => {
    const result = await listingPage(t.db, { list, at, size: SIZE });
    if (!('page' in result)) throw new Error(`no page at ${JSON.stringify(at)}: ${JSON.stringify(result)}`);
    return result.page;
  };
  const ids = (p: ListingPage) => p.articles.map((a) => a.id);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    for (let i = 0; i < 23; i++) {
      await makeArticle(t.db, { headline: `Walk ${i}`, section: 'World', authors: ['Pat Page'], tags: ['Paged'], published: minute(i) });
    }
    // Elsewhere: never in these lists.
    await makeArticle(t.db, { section: 'Science', authors: ['Someone Else'], tags: ['Other'], published: minute(4) });
    const id = async (table: 'sections' | 'people' | 'tags', slug: string) =>
      (await t.db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    lists = {
      section: { kind: 'section', id: await id('sections', 'world') },
      author: { kind: 'author', id: await id('people', 'pat-page') },
      tag: { kind: 'tag', id: await id('tags', 'paged') },
    };
    const rows = await t.db
      .selectFrom('articles')
      .select('id')
      .where('headline', 'like', 'Walk %')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expected = rows.map((r) => r.id);
  });
  afterAll(() => t.destroy());

  it.each(['section', 'author', 'tag'] as const)(
    'walks a %s list by "older" from first to last: every article once, in order',
    async (kind) => {
      const list = lists[kind];
      const seen: number[][] = [];
      let at: PageAt | undefined = FIRST_PAGE;
      while (at) {
        const p = await page(list, at);
        expect(p.total).toBe(23);
        seen.push(ids(p));
        at = p.older;
      }
      expect(seen.map((s) => s.length)).toEqual([5, 5, 5, 5, 3]);
      expect(seen.flat()).toEqual(expected);
      // And back by "newer" from the last page: the same pages, ending on the first page's address.
      let back: PageAt | undefined = (await page(list, { page: 5 })).newer;
      const again: number[][] = [];
      while (back && !('page' in back)) {
        const p = await page(list, back);
        again.unshift(ids(p));
        back = p.newer;
      }
      expect(back).toEqual(FIRST_PAGE);
      expect(again).toEqual(seen.slice(1, 4));
    },
  );

  it('counts pages from the top for ?page=N, and links onwards by cursor', async () => {
    const first = await page(lists.section, FIRST_PAGE);
    expect(first).toMatchObject({ page: 1, pages: 5, newer: undefined });
    expect(first.older).toEqual({ before: { publishedAt: first.articles[4].publishedAt, id: expected[4] } });
    const second = await page(lists.section, { page: 2 });
    expect(ids(second)).toEqual(expected.slice(5, 10));
    expect(second.newer).toEqual(FIRST_PAGE);
    const fourth = await page(lists.section, { page: 4 });
    expect(ids(fourth)).toEqual(expected.slice(15, 20));
    expect(fourth.newer).toEqual({ after: { publishedAt: fourth.articles[0].publishedAt, id: expected[15] } });
    expect(await listingPage(t.db, { list: lists.section, at: { page: 6 }, size: SIZE })).toEqual({ missing: true });
  });

  it('orders ties by id and cuts exactly at the cursor', async () => {
    const all = await page(lists.tag, FIRST_PAGE);
    // expected[0..2] share a minute: a cursor on the middle one keeps only the lower id of that minute.
    const at = { publishedAt: all.articles[1].publishedAt, id: expected[1] };
    expect(all.articles[0].publishedAt).toBe(at.publishedAt);
    expect(ids(await page(lists.tag, { before: at }))).toEqual(expected.slice(2, 7));
    // Position p of the list was published at minute(p); a cursor on position 19 shows 14 to 18.
    expect(ids(await page(lists.tag, { after: { publishedAt: minute(19).toISOString(), id: expected[19] } }))).toEqual(
      expected.slice(14, 19),
    );
  });

  it('answers the ends: past the last article, a newer page that is the first, a place newer than everything', async () => {
    const last = expected[expected.length - 1];
    const lastAt: Cursor = { publishedAt: minute(22).toISOString(), id: last };
    expect(await listingPage(t.db, { list: lists.author, at: { before: lastAt }, size: SIZE })).toEqual({ missing: true });
    const nearTop: Cursor = { publishedAt: minute(3).toISOString(), id: expected[3] };
    expect(await listingPage(t.db, { list: lists.author, at: { after: nearTop }, size: SIZE })).toEqual({ top: true });
    const future = await page(lists.author, { before: { publishedAt: '2099-01-01T00:00:00.000Z', id: 1 } });
    expect(ids(future)).toEqual(expected.slice(0, 5));
    expect(future.newer).toBeUndefined();
    // The last page (3 articles) links newer by cursor, and nothing older.
    const tail = await page(lists.author, { before: { publishedAt: minute(19).toISOString(), id: expected[19] } });
    expect(ids(tail)).toEqual(expected.slice(20));
    expect(tail.older).toBeUndefined();
    expect(tail.newer).toEqual({ after: { publishedAt: minute(20).toISOString(), id: expected[20] } });
  });

  it('reads a page address: cursors strictly, page numbers leniently', () => {
    expect(pageAt({})).toEqual(FIRST_PAGE);
    expect(pageAt({ page: 'nonsense' })).toEqual(FIRST_PAGE);
    expect(pageAt({ page: '3' })).toEqual({ page: 3 });
    expect(pageAt({ before: '2026-11-30T09:00:00.000Z_12', page: '3' })).toEqual({
      before: { publishedAt: '2026-11-30T09:00:00.000Z', id: 12 },
    });
    expect(pageAt({ after: '2026-11-30T09:00:00Z_1' })).toEqual({ after: { publishedAt: '2026-11-30T09:00:00Z', id: 1 } });
    for (const query of [
      { before: 'garbage' },
      { before: '' },
      { before: '2026-11-30T09:00:00.000Z' },
      { before: '2026-11-30T09:00:00.000Z_0' },
      { before: '2026-11-30T09:00:00.000Z_99999999999' },
      { before: '2026-13-45T09:00:00.000Z_1' },
      { before: "2026-11-30T09:00:00.000Z_1' or 1=1" },
      { before: ['2026-11-30T09:00:00.000Z_1', '2026-11-30T09:00:00.000Z_2'] },
      { after: '2026-11-30 09:00:00_1' },
      { before: '2026-11-30T09:00:00.000Z_1', after: '2026-11-30T09:00:00.000Z_2' },
    ]) {
      const attempt = () => pageAt(query);
      expect(attempt, JSON.stringify(query)).toThrow(AppError);
      try {
        attempt();
      } catch (e) {
        expect((e as AppError).status).toBe(400);
      }
    }
  });

  it('keeps every list count exact through publish, unpublish, byline, tag, section and delete changes', async () => {
    const truth = async () => {
      const rows = await t.db
        .withTables<ListingTables>()
        .selectFrom('listing_counts')
        .select(['kind', 'list_id', 'n'])
        .where('n', '>', 0)
        .execute();
      const kept = Object.fromEntries(rows.map((r) => [`${r.kind}:${r.list_id}`, Number(r.n)]));
      const published = t.db.selectFrom('articles').where('status', '=', 'published');
      const sections = await published
        .select(['section_id as id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('section_id')
        .execute();
      const authors = await published
        .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
        .select(['person_id as id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('person_id')
        .execute();
      const tags = await published
        .innerJoin('article_tags', 'article_tags.article_id', 'articles.id')
        .select(['tag_id as id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('tag_id')
        .execute();
      const real = Object.fromEntries([
        ...sections.map((r) => [`section:${r.id}`, Number(r.n)]),
        ...authors.map((r) => [`author:${r.id}`, Number(r.n)]),
        ...tags.map((r) => [`tag:${r.id}`, Number(r.n)]),
      ]);
      expect(kept).toEqual(real);
      return kept;
    };
    const before = await truth();
    const a = await makeArticle(t.db, { section: 'World', authors: ['Pat Page', 'Ann Other'], tags: ['Paged', 'Extra'] });
    expect((await truth())[`section:${lists.section.id}`]).toBe(before[`section:${lists.section.id}`] + 1);
    expect(await countListed(t.db, lists.author)).toBe(24);
    // Unpublish, publish again, re-date, move section, change byline and tags, schedule.
    const set = (values: Record<string, unknown>) => t.db.updateTable('articles').set(values).where('id', '=', a.id).execute();
    await set({ status: 'unpublished' });
    expect(await countListed(t.db, lists.tag)).toBe(23);
    await truth();
    await set({ status: 'published' });
    expect(await countListed(t.db, lists.tag)).toBe(24);
    await set({ published_at: '2026-11-02T00:00:00.000Z', headline: 'Re-dated' });
    expect((await page(lists.section, FIRST_PAGE)).articles[0]).toMatchObject({ id: a.id, publishedAt: '2026-11-02T00:00:00.000Z' });
    const science = (await t.db.selectFrom('sections').select('id').where('slug', '=', 'science').executeTakeFirstOrThrow()).id;
    await set({ section_id: science });
    expect(await countListed(t.db, lists.section)).toBe(23);
    await truth();
    await t.db.deleteFrom('article_authors').where('article_id', '=', a.id).where('person_id', '=', lists.author.id).execute();
    await t.db.deleteFrom('article_tags').where('article_id', '=', a.id).execute();
    expect(await countListed(t.db, lists.author)).toBe(23);
    expect(await countListed(t.db, lists.tag)).toBe(23);
    await truth();
    await t.db.insertInto('article_tags').values({ article_id: a.id, tag_id: lists.tag.id }).execute();
    expect(await countListed(t.db, lists.tag)).toBe(24);
    const extra = (await t.db.selectFrom('tags').select('id').where('slug', '=', 'extra').executeTakeFirstOrThrow()).id;
    await t.db.updateTable('article_tags').set({ tag_id: extra }).where('article_id', '=', a.id).execute();
    expect(await countListed(t.db, lists.tag)).toBe(23);
    expect(await countListed(t.db, { kind: 'tag', id: extra })).toBe(1);
    await set({ status: 'scheduled', published_at: '2099-01-01T00:00:00.000Z' });
    expect(await countListed(t.db, { kind: 'tag', id: extra })).toBe(0);
    await truth();
    await set({ status: 'published' });
    expect(await countListed(t.db, { kind: 'tag', id: extra })).toBe(1);
    await truth();
    // Deleting the article takes it out of every list (its links go by cascade).
    await t.db.deleteFrom('articles').where('id', '=', a.id).execute();
    expect(await truth()).toEqual(before);
  });
});
