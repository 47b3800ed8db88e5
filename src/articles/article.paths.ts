import type { Executor } from '../events.js';
import type { ArticleStatus } from './article.table.js';
import { articleUrl } from './article.urls.js';

/** An article as far as its address cares: what sits at a path, and whether readers may see it. */
export interface ArticleAtPath {
  id: number;
  status: ArticleStatus;
}

/** The path of an article with this section and slug (undefined when the section is gone). */
export async function articlePath(db: Executor, sectionId: number, slug: string): Promise<string | undefined> {
  const section = await db.selectFrom('sections').select('slug').where('id', '=', sectionId).executeTakeFirst();
  return section ? articleUrl({ slug, section }) : undefined;
}

/** The article stored at `/{section}/{slug}`, whatever its status. */
export async function articleAt(db: Executor, sectionSlug: string, slug: string): Promise<ArticleAtPath | undefined> {
  return db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.status'])
    .where('articles.slug', '=', slug)
    .where('sections.slug', '=', sectionSlug)
    .executeTakeFirst();
}

/** The article stored at a site path, when the path has the shape of an article's (two segments). */
export async function articleAtPath(db: Executor, path: string): Promise<ArticleAtPath | undefined> {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  let section: string;
  let slug: string;
  try {
    section = decodeURIComponent(m[1]);
    slug = decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
  return articleAt(db, section, slug);
}
