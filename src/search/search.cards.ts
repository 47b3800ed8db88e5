import { type ArticleCard, type CardRow, cardColumns, toCards } from '../articles/article.repo.js';
import type { Executor } from '../events.js';

/** Published articles as cards, in the order of `ids` (ids that are not published are left out). */
export async function cardsByIds(db: Executor, ids: number[]): Promise<ArticleCard[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(cardColumns)
    .where('articles.id', 'in', ids)
    .where('articles.status', '=', 'published')
    .execute();
  const cards = await toCards(db, rows as CardRow[]);
  const byId = new Map(cards.map((c) => [c.id, c]));
  return ids.map((id) => byId.get(id)).filter((c): c is ArticleCard => c !== undefined);
}
