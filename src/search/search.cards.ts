import { type ArticleCard, authorsOf } from '../articles/article.repo.js';
import type { Executor } from '../events.js';
import { findMediaByIds } from '../media/media.service.js';

/** Published articles as cards, in the order of `ids` (ids that are not published are left out). */
export async function cardsByIds(db: Executor, ids: number[]): Promise<ArticleCard[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.headline',
      'articles.standfirst',
      'articles.published_at',
      'articles.updated_at',
      'articles.word_count',
      'articles.hero_media_id',
      'articles.hero_alt',
      'articles.section_id',
      'sections.slug as section_slug',
      'sections.name as section_name',
    ])
    .where('articles.id', 'in', ids)
    .where('articles.status', '=', 'published')
    .execute();
  const [authors, media] = await Promise.all([
    authorsOf(
      db,
      rows.map((r) => r.id),
    ),
    findMediaByIds(
      db,
      rows.map((r) => r.hero_media_id).filter((x): x is number => x !== null),
    ),
  ]);
  const byId = new Map(
    rows.map((r) => {
      const m = r.hero_media_id ? media.get(r.hero_media_id) : undefined;
      const card: ArticleCard = {
        id: r.id,
        slug: r.slug,
        headline: r.headline,
        standfirst: r.standfirst,
        publishedAt: r.published_at ?? '',
        updatedAt: r.updated_at,
        wordCount: r.word_count,
        section: { id: r.section_id, slug: r.section_slug, name: r.section_name },
        authors: authors.get(r.id) ?? [],
        hero: m ? { ...m, alt: r.hero_alt } : null,
      };
      return [r.id, card] as const;
    }),
  );
  return ids.map((id) => byId.get(id)).filter((c): c is ArticleCard => c !== undefined);
}
