import type { Kysely } from 'kysely';
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
