import type { Kysely } from 'kysely';
import { findArticleById } from '../../src/articles/article.repo.js';
import { saveArticle } from '../../src/articles/article.service.js';
import type { ArticleStatus } from '../../src/articles/article.table.js';
import type { Database } from '../../src/db/database.js';
import type { ProcessedImage } from '../../src/media/image.js';
import type { ArticleFile } from '../../src/publish/frontmatter.js';
import { type PublishResult, publishArticle } from '../../src/publish/publish.service.js';

let counter = 0;

/** Publishes an article with sensible defaults; override any front-matter field. */
export async function makeArticle(
  db: Kysely<Database>,
  overrides: Partial<ArticleFile> = {},
  opts: { hero?: ProcessedImage; now?: Date } = {},
): Promise<PublishResult & { slug: string }> {
  counter++;
  const article: ArticleFile = {
    headline: `Test headline number ${counter}`,
    standfirst: 'A short standfirst for the test article.',
    section: 'Politics',
    authors: ['James Thompson'],
    published: undefined,
    slug: `test-article-${counter}-${Date.now().toString(36)}`,
    tags: [],
    hero: undefined,
    heroAlt: '',
    heroCaption: '',
    heroCredit: '',
    commentsOpen: true,
    body: 'First paragraph of the test body.\n\nSecond paragraph with more words in it.',
    ...overrides,
  };
  const result = await publishArticle(db, { article, hero: opts.hero, now: opts.now });
  return { ...result, slug: article.slug };
}

/** Saves an article again with another status (and publication time), as the newsroom does; no hero. */
export async function setArticleStatus(db: Kysely<Database>, id: number, status: ArticleStatus, publishedAt?: string): Promise<void> {
  const a = await findArticleById(db, id);
  if (!a) throw new Error(`no article ${id}`);
  await db.transaction().execute((trx) =>
    saveArticle(trx, {
      slug: a.slug,
      headline: a.headline,
      standfirst: a.standfirst,
      sectionId: a.section.id,
      authorIds: a.authors.map((x) => x.id),
      tagIds: a.tags.map((x) => x.id),
      bodyMd: a.bodyMd,
      status,
      publishedAt: publishedAt ?? a.publishedAt,
      commentsOpen: a.commentsOpen,
      heroMediaId: null,
      heroAlt: '',
      heroCaption: '',
      heroCredit: '',
    }),
  );
}
