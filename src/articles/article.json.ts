import { AppError, invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { findMediaByIds } from '../media/media.service.js';
import { parseDateTime } from '../text/time.js';
import type { Actor } from '../users/user.table.js';
import { authorIdsFor, sectionIdFor, tagIdsFor } from './article.refs.js';
import { authorsOf, tagsOf } from './article.repo.js';
import { isEditor, type WorkflowAction } from './article.rules.js';
import type { ArticleBody } from './article.schema.js';
import type { ArticleRow, ArticleStatus } from './article.table.js';
import { articleUrl, mediaUrl } from './article.urls.js';
import type { ArticleFields } from './article.workflow.js';

/** Articles as the JSON API shows them, in the order of `ids`. */
export async function apiArticles(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .selectAll('articles')
    .select(['sections.slug as section_slug', 'sections.name as section_name'])
    .where('articles.id', 'in', ids)
    .execute();
  const [authors, tags, media] = await Promise.all([
    authorsOf(db, ids),
    tagsOf(db, ids),
    findMediaByIds(
      db,
      rows.map((r) => r.hero_media_id).filter((x): x is number => x !== null),
    ),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => {
      const m = r.hero_media_id ? media.get(r.hero_media_id) : undefined;
      const jpeg = m?.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
      return {
        id: r.id,
        url: articleUrl({ slug: r.slug, section: { slug: r.section_slug } }),
        status: r.status,
        headline: r.headline,
        standfirst: r.standfirst,
        section: r.section_name,
        authors: (authors.get(r.id) ?? []).map((a) => a.name),
        tags: (tags.get(r.id) ?? []).map((t) => t.name),
        slug: r.slug,
        published: r.published_at,
        updated: r.updated_at,
        hero: m && jpeg ? { id: m.id, width: m.width, height: m.height, url: mediaUrl(jpeg.path) } : null,
        hero_alt: r.hero_alt,
        hero_caption: r.hero_caption,
        hero_credit: r.hero_credit,
        comments: r.comments_open === 1 ? ('open' as const) : ('closed' as const),
        body: r.body_md,
        word_count: r.word_count,
      };
    });
}

/** The fields after applying a JSON body to the current article (or to a blank one). */
export async function fieldsFromJson(
  trx: Executor,
  input: { actor: Actor; body: ArticleBody; current?: ArticleFields; timeZone: string },
): Promise<ArticleFields> {
  const { body: b, actor } = input;
  const base: ArticleFields = input.current ?? {
    headline: '',
    standfirst: '',
    slug: '',
    sectionId: null,
    authorIds: actor.personId ? [actor.personId] : [],
    tagIds: [],
    bodyMd: '',
    publishedAt: null,
    commentsOpen: true,
    heroMediaId: null,
    heroAlt: '',
    heroCaption: '',
    heroCredit: '',
  };
  const f = { ...base };
  if (b.headline !== undefined) f.headline = b.headline;
  if (b.standfirst !== undefined) f.standfirst = b.standfirst;
  if (b.slug !== undefined) f.slug = b.slug;
  if (b.body !== undefined) f.bodyMd = b.body.replace(/\r\n?/g, '\n');
  if (b.hero_media_id !== undefined) f.heroMediaId = b.hero_media_id;
  if (b.hero_alt !== undefined) f.heroAlt = b.hero_alt;
  if (b.hero_caption !== undefined) f.heroCaption = b.hero_caption;
  if (b.hero_credit !== undefined) f.heroCredit = b.hero_credit;
  if (b.comments !== undefined) f.commentsOpen = b.comments === 'open';
  if (b.section !== undefined) {
    if (!b.section.trim()) throw invalid('Name the section.', 'section');
    f.sectionId = await sectionIdFor(trx, b.section, isEditor(actor));
  }
  if (b.authors !== undefined) f.authorIds = await authorIdsFor(trx, b.authors.map((a) => a.trim()).filter(Boolean));
  if (b.tags !== undefined) f.tagIds = await tagIdsFor(trx, b.tags.map((t) => t.trim()).filter(Boolean));
  if (b.published !== undefined) {
    if (b.published === null || b.published === '') f.publishedAt = null;
    else {
      const at = parseDateTime(b.published, input.timeZone);
      if (!at) throw invalid('"published" must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z.', 'published');
      if (actor.role === 'writer') throw new AppError('forbidden', 'A writer token cannot set the publication time.');
      f.publishedAt = at.toISOString();
    }
  }
  return f;
}

/** The workflow action that takes an article from its status to the requested one (none: unchanged). */
export function actionFor(
  from: ArticleStatus,
  to: ArticleStatus | undefined,
  fields: ArticleFields,
  now = new Date(),
): WorkflowAction | undefined {
  if (to === undefined || to === from) {
    // Re-sending "scheduled" with a new time reschedules.
    return to === 'scheduled' ? 'schedule' : undefined;
  }
  switch (to) {
    case 'draft':
      return 'return';
    case 'in_review':
      if (from !== 'draft') throw new AppError('conflict', `A ${from.replace('_', ' ')} article cannot go back to review.`, 'status');
      return 'submit';
    case 'scheduled':
      return 'schedule';
    case 'published':
      // As in front matter: a publication time in the future schedules.
      return fields.publishedAt && Date.parse(fields.publishedAt) > now.getTime() ? 'schedule' : 'publish';
    case 'unpublished':
      return 'unpublish';
  }
}

export const ownerOf = (row: ArticleRow) => ({ status: row.status, created_by: row.created_by, created_by_token: row.created_by_token });
