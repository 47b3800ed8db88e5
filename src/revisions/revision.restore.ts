import { type ArticleFields, findArticleRow, type WriteResult, writeArticle } from '../articles/article.workflow.js';
import { notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { ensureTag } from '../tags/tag.service.js';
import type { Actor } from '../users/user.table.js';
import { findRevision } from './revision.service.js';

/**
 * Brings back the text and fields of an old revision as a new revision (history is never
 * rewritten). The status and the publication time stay as they are now.
 */
export async function restoreRevision(
  trx: Executor,
  input: { actor: Actor; articleId: number; number: number; now?: Date },
): Promise<WriteResult> {
  const current = await findArticleRow(trx, input.articleId);
  const revision = current ? await findRevision(trx, input.articleId, input.number) : undefined;
  if (!current || !revision) throw notFound('No such revision.');
  const s = revision.snapshot;
  const people = s.authors.length
    ? await trx
        .selectFrom('people')
        .select('id')
        .where(
          'id',
          'in',
          s.authors.map((a) => a.id),
        )
        .execute()
    : [];
  const alive = new Set(people.map((p) => p.id));
  const section = await trx.selectFrom('sections').select('id').where('id', '=', s.sectionId).executeTakeFirst();
  const hero = s.heroMediaId ? await trx.selectFrom('media').select('id').where('id', '=', s.heroMediaId).executeTakeFirst() : undefined;
  // Tags may have been renamed or merged since: they come back by name.
  const tagIds: number[] = [];
  for (const t of s.tags) tagIds.push((await ensureTag(trx, t.name)).id);
  const fields: ArticleFields = {
    headline: s.headline,
    standfirst: s.standfirst,
    slug: s.slug,
    sectionId: section ? section.id : current.section_id,
    authorIds: s.authors.map((a) => a.id).filter((id) => alive.has(id)),
    tagIds,
    bodyMd: s.bodyMd,
    publishedAt: current.published_at,
    commentsOpen: s.commentsOpen,
    heroMediaId: hero ? hero.id : null,
    heroAlt: s.heroAlt,
    heroCaption: s.heroCaption,
    heroCredit: s.heroCredit,
  };
  return writeArticle(trx, { actor: input.actor, id: input.articleId, fields, note: `Restored revision ${input.number}`, now: input.now });
}
