import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleById } from '../../src/articles/article.repo.js';
import { relatedArticles, saveArticle } from '../../src/articles/article.service.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle, setArticleStatus } from '../helpers/factories.js';

describe.each(DIALECTS)('related articles kept between renders on %s', (dialect) => {
  let t: TestDb;
  const ids: Record<string, number> = {};
  const related = async (id: number) => (await relatedArticles(t.db, (await findArticleById(t.db, id))!)).map((c) => c.headline);
  /** Rewrites an article's headline as the newsroom would, leaving it published at the same time. */
  const retitle = async (id: number, headline: string) => {
    const a = (await findArticleById(t.db, id))!;
    await t.db.transaction().execute((trx) =>
      saveArticle(trx, {
        slug: a.slug,
        headline,
        standfirst: a.standfirst,
        sectionId: a.section.id,
        authorIds: a.authors.map((x) => x.id),
        tagIds: a.tags.map((x) => x.id),
        bodyMd: a.bodyMd,
        status: 'published',
        publishedAt: a.publishedAt,
        commentsOpen: a.commentsOpen,
        heroMediaId: null,
        heroAlt: '',
        heroCaption: '',
        heroCredit: '',
      }),
    );
  };

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T09:00:00Z`);
    ids.target = (
      await makeArticle(t.db, {
        headline: 'Council approves harbor budget',
        body: 'The harbor budget passed the council.',
        published: at(20),
      })
    ).id;
    ids.harbor = (await makeArticle(t.db, { headline: 'Harbor budget debate', body: 'Debate on the harbor.', published: at(10) })).id;
    ids.zoo = (await makeArticle(t.db, { headline: 'Zoo opens a new wing', body: 'Animals moved in.', published: at(11) })).id;
  });
  afterAll(() => t.destroy());

  it('keeps the order while the section is unchanged, with cards read afresh', async () => {
    expect(await related(ids.target)).toEqual(['Harbor budget debate', 'Zoo opens a new wing']);
    // The zoo story now says what the target says: ranked afresh it would come first.
    await retitle(ids.zoo, 'Council approves harbor budget again');
    expect(await related(ids.target)).toEqual(['Harbor budget debate', 'Council approves harbor budget again']);
  });

  it('ranks again once the section gains or loses an article', async () => {
    ids.late = (await makeArticle(t.db, { headline: 'Weather turns cold', body: 'Snow.', published: new Date('2026-11-21T09:00:00Z') })).id;
    const after = await related(ids.target);
    expect(after[0]).toBe('Council approves harbor budget again');
    expect(after).toContain('Weather turns cold');
    await setArticleStatus(t.db, ids.zoo, 'unpublished');
    expect(await related(ids.target)).not.toContain('Council approves harbor budget again');
  });

  it('ranks again when the article itself changes', async () => {
    const before = await related(ids.harbor);
    expect(before[0]).toBe('Council approves harbor budget');
    await retitle(ids.harbor, 'Weather and snow in the harbor');
    expect((await related(ids.harbor))[0]).toBe('Weather turns cold');
  });
});
