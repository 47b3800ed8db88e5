import { type ArticleCard, listPublished, type Ref, tagsOf } from '../articles/article.repo.js';
import type { Executor } from '../events.js';

export const FEED_SIZE = 50;

export interface FeedArticle {
  card: ArticleCard;
  bodyHtml: string;
  heroCaption: string;
  heroCredit: string;
  tags: Ref[];
  /** The last change of any kind, for Last-Modified. */
  modifiedAt: string;
}

/** The latest published articles of a scope (the whole site, a section, an author or a tag), with their full text. */
export async function feedArticles(
  db: Executor,
  scope: { sectionId?: number; personId?: number; tagId?: number },
  limit = FEED_SIZE,
): Promise<FeedArticle[]> {
  const cards = await listPublished(db, { ...scope, limit });
  if (cards.length === 0) return [];
  const ids = cards.map((c) => c.id);
  const [rows, tags] = await Promise.all([
    db.selectFrom('articles').select(['id', 'body_html', 'hero_caption', 'hero_credit', 'modified_at']).where('id', 'in', ids).execute(),
    tagsOf(db, ids),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return cards.map((card) => {
    const r = byId.get(card.id);
    return {
      card,
      bodyHtml: r?.body_html ?? '',
      heroCaption: r?.hero_caption ?? '',
      heroCredit: r?.hero_credit ?? '',
      tags: tags.get(card.id) ?? [],
      modifiedAt: r?.modified_at ?? card.publishedAt,
    };
  });
}
