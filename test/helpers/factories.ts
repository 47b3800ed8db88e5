import type { Kysely } from 'kysely';
import { findArticleById } from '../../src/articles/article.repo.js';
import { saveArticle } from '../../src/articles/article.service.js';
import type { ArticleStatus } from '../../src/articles/article.table.js';
import { ensurePerson } from '../../src/authors/person.service.js';
import type { Database } from '../../src/db/database.js';
import type { ProcessedImage } from '../../src/media/image.js';
import type { ArticleFile } from '../../src/publish/frontmatter.js';
import { type PublishResult, publishArticle } from '../../src/publish/publish.service.js';
import { ensureSection } from '../../src/sections/section.service.js';

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

/**
 * Inserts an article row directly, as a bulk load or an older version of Gazette left it: no
 * revision, no event, not in the search index. In Politics, by James Thompson; published unless
 * another status is given.
 */
export async function insertBareArticle(
  db: Kysely<Database>,
  input: { slug: string; headline: string; bodyMd: string; status?: ArticleStatus; modifiedAt?: string },
): Promise<number> {
  const at = input.modifiedAt ?? '2020-01-02T03:04:05.000Z';
  return db.transaction().execute(async (trx) => {
    const section = await ensureSection(trx, { name: 'Politics' });
    const person = await ensurePerson(trx, { name: 'James Thompson' });
    const { id } = await trx
      .insertInto('articles')
      .values({
        slug: input.slug,
        section_id: section.id,
        headline: input.headline,
        standfirst: 'Kept from before revisions.',
        body_md: input.bodyMd,
        body_html: `<p>${input.bodyMd}</p>`,
        word_count: input.bodyMd.split(/\s+/).length,
        status: input.status ?? 'published',
        published_at: input.status && input.status !== 'published' ? null : at,
        updated_at: null,
        comments_open: 1,
        hero_media_id: null,
        hero_alt: '',
        hero_caption: '',
        hero_credit: '',
        created_at: at,
        modified_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('article_authors').values({ article_id: id, person_id: person.id, position: 0 }).execute();
    return id;
  });
}
