import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { saveArticle } from '../articles/article.service.js';
import type { ArticleStatus } from '../articles/article.table.js';
import { articleUrl } from '../articles/article.urls.js';
import { ensurePerson } from '../authors/person.service.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { mediaDir, type ProcessedImage, processImage } from '../media/image.js';
import { saveMedia } from '../media/media.service.js';
import type { RevisionAuthor } from '../revisions/revision.service.js';
import { ensureSection } from '../sections/section.service.js';
import { removeAll, storeAt } from '../storage/storage.js';
import { ensureTag } from '../tags/tag.service.js';
import { type ArticleFile, FrontMatterError, parseArticleFile } from './frontmatter.js';

export interface PublishResult {
  id: number;
  url: string;
  status: ArticleStatus;
}

/** A file that could not be published, with the file and field at fault. */
export class PublishError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}

async function loadHero(file: string, article: ArticleFile, mediaRoot: string): Promise<ProcessedImage | undefined> {
  if (!article.hero) return undefined;
  const path = resolve(dirname(file), article.hero);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new PublishError(file, 'hero', `hero image not found: ${article.hero}`);
  }
  try {
    return await processImage(bytes, mediaRoot);
  } catch (error) {
    const message = error instanceof AppError ? error.message : 'the hero image could not be read';
    throw new PublishError(file, 'hero', `${article.hero}: ${message}`);
  }
}

/** Publishes one parsed article (sections, authors and tags created as needed) in one transaction. */
export async function publishArticle(
  db: Kysely<Database>,
  input: {
    article: ArticleFile;
    hero?: ProcessedImage;
    authorBios?: Record<string, string>;
    now?: Date;
    /** Whom the revision names (`gazette publish` when not given). */
    by?: RevisionAuthor;
  },
): Promise<PublishResult> {
  const { article } = input;
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    // Re-publishing a live article without a `published` date keeps its first publication time.
    const previous = await trx
      .selectFrom('articles')
      .select(['status', 'published_at'])
      .where('slug', '=', article.slug)
      .executeTakeFirst();
    const kept = previous?.status === 'published' && previous.published_at ? new Date(previous.published_at) : undefined;
    const publishedAt = article.published ?? kept ?? now;
    const status: ArticleStatus = publishedAt.getTime() > now.getTime() ? 'scheduled' : 'published';
    const section = await ensureSection(trx, { name: article.section });
    const authorIds: number[] = [];
    for (const name of article.authors) {
      authorIds.push((await ensurePerson(trx, { name, bio: input.authorBios?.[name] })).id);
    }
    const tagIds: number[] = [];
    for (const name of article.tags) tagIds.push((await ensureTag(trx, name)).id);
    const heroMediaId = input.hero
      ? await saveMedia(trx, input.hero, { alt: article.heroAlt, caption: article.heroCaption, credit: article.heroCredit })
      : null;
    const result = await saveArticle(
      trx,
      {
        slug: article.slug,
        headline: article.headline,
        standfirst: article.standfirst,
        sectionId: section.id,
        authorIds,
        tagIds,
        bodyMd: article.body,
        status,
        publishedAt: publishedAt.toISOString(),
        commentsOpen: article.commentsOpen,
        heroMediaId,
        heroAlt: article.heroAlt,
        heroCaption: article.heroCaption,
        heroCredit: article.heroCredit,
        by: input.by,
      },
      now,
    );
    return { id: result.id, url: articleUrl({ slug: article.slug, section }), status: result.status };
  });
}

/** Reads, validates and publishes a Markdown file with front matter (SPEC §6). */
export async function publishFile(
  db: Kysely<Database>,
  opts: { file: string; mediaRoot: string; timeZone?: string; now?: Date },
): Promise<PublishResult> {
  let source: string;
  try {
    source = await readFile(opts.file, 'utf8');
  } catch {
    throw new PublishError(opts.file, 'file', 'cannot read the file');
  }
  let article: ArticleFile;
  try {
    article = parseArticleFile(source, opts.timeZone).article;
  } catch (error) {
    if (error instanceof FrontMatterError) throw new PublishError(opts.file, error.field, error.message);
    throw error;
  }
  const hero = await loadHero(opts.file, article, opts.mediaRoot);
  try {
    return await publishArticle(db, { article, hero, now: opts.now });
  } catch (error) {
    // The database rolled back; remove image files this attempt wrote so nothing is left half-done.
    if (hero?.fresh) await removeAll(storeAt(opts.mediaRoot), `${mediaDir(hero.hash)}/`);
    if (error instanceof AppError && error.status < 500) throw new PublishError(opts.file, error.field ?? 'file', error.message);
    throw error;
  }
}
