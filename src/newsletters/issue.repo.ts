import type { Executor } from '../events.js';
import type { IssueOrigin, NewsletterIssue } from './issue.table.js';
import type { NewsletterList } from './newsletter.table.js';

export interface NewIssue {
  listId: number;
  subject: string;
  intro: string;
  articleIds: number[];
  origin: IssueOrigin;
  triggerKey?: string | null;
  createdBy?: number | null;
  now: string;
}

export async function insertIssue(trx: Executor, input: NewIssue): Promise<number> {
  const row = await trx
    .insertInto('newsletter_issues')
    .values({
      list_id: input.listId,
      subject: input.subject,
      intro: input.intro,
      article_ids: JSON.stringify(input.articleIds),
      status: 'draft',
      origin: input.origin,
      trigger_key: input.triggerKey ?? null,
      created_by: input.createdBy ?? null,
      created_at: input.now,
      updated_at: input.now,
      queued_at: null,
      sent_at: null,
      recipients: null,
      sent_count: 0,
      failed_count: 0,
      bounced_count: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findIssue(db: Executor, id: number): Promise<NewsletterIssue | undefined> {
  return db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function issueByTrigger(db: Executor, key: string): Promise<NewsletterIssue | undefined> {
  return db.selectFrom('newsletter_issues').selectAll().where('trigger_key', '=', key).executeTakeFirst();
}

export async function updateDraftRow(
  trx: Executor,
  id: number,
  values: { subject: string; intro: string; articleIds: number[]; listId: number; now: string },
): Promise<void> {
  await trx
    .updateTable('newsletter_issues')
    .set({
      subject: values.subject,
      intro: values.intro,
      article_ids: JSON.stringify(values.articleIds),
      list_id: values.listId,
      updated_at: values.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Draft → sending; false when it was not a draft any more (sent twice at once). */
export async function markQueued(trx: Executor, id: number, now: string): Promise<boolean> {
  const result = await trx
    .updateTable('newsletter_issues')
    .set({ status: 'sending', queued_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteDraftRow(trx: Executor, id: number): Promise<boolean> {
  const result = await trx.deleteFrom('newsletter_issues').where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export interface IssueListRow extends NewsletterIssue {
  list_name: string;
  list_slug: string;
}

/** Issues, newest first, with their list's name. */
export async function listIssues(db: Executor, opts: { listId?: number; limit: number; offset: number }): Promise<IssueListRow[]> {
  let q = db
    .selectFrom('newsletter_issues')
    .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_issues.list_id')
    .selectAll('newsletter_issues')
    .select(['newsletter_lists.name as list_name', 'newsletter_lists.slug as list_slug']);
  if (opts.listId !== undefined) q = q.where('newsletter_issues.list_id', '=', opts.listId);
  return q.orderBy('newsletter_issues.id', 'desc').limit(opts.limit).offset(opts.offset).execute();
}

/** The newest issue of a list that was sent or is being sent: the next automatic issue carries what came after it. */
export async function lastSentIssue(db: Executor, listId: number): Promise<NewsletterIssue | undefined> {
  return db
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('list_id', '=', listId)
    .where('status', '!=', 'draft')
    .orderBy('queued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function allLists(db: Executor): Promise<NewsletterList[]> {
  return db.selectFrom('newsletter_lists').selectAll().orderBy('name').execute();
}

export async function findList(db: Executor, id: number): Promise<NewsletterList | undefined> {
  return db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findListBySlug(db: Executor, slug: string): Promise<NewsletterList | undefined> {
  return db.selectFrom('newsletter_lists').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export interface PickableArticle {
  id: number;
  headline: string;
  section: string;
  sectionId: number;
  publishedAt: string;
}

/** Published articles, newest first: the composer's choice, or what an automatic issue carries. */
export async function publishedArticles(
  db: Executor,
  opts: { limit: number; sectionId?: number | null; since?: string | null; until?: string },
): Promise<PickableArticle[]> {
  let q = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.headline', 'sections.name as section', 'articles.section_id', 'articles.published_at'])
    .where('articles.status', '=', 'published');
  if (opts.sectionId) q = q.where('articles.section_id', '=', opts.sectionId);
  if (opts.since) q = q.where('articles.published_at', '>', opts.since);
  if (opts.until) q = q.where('articles.published_at', '<=', opts.until);
  const rows = await q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    headline: r.headline,
    section: r.section,
    sectionId: r.section_id,
    publishedAt: r.published_at ?? '',
  }));
}

/** The lists with this automatic mode. */
export async function listsWithMode(db: Executor, mode: NewsletterList['auto_mode']): Promise<NewsletterList[]> {
  return db.selectFrom('newsletter_lists').selectAll().where('auto_mode', '=', mode).orderBy('id').execute();
}
