import { cardsInOrder } from '../articles/article.repo.js';
import { articleUrl, mediaUrl } from '../articles/article.urls.js';
import { AppError, invalid, notFound } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import { enqueueJob } from '../jobs/job.repo.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { formatDate, joinNames } from '../web/format.js';
import { type EmailArticle, type RenderedEmail, renderIssueEmail } from './email.issue.js';
import { deleteDraftRow, findIssue, findList, insertIssue, markQueued, updateDraftRow } from './issue.repo.js';
import type { IssueOrigin, NewsletterIssue } from './issue.table.js';
import type { NewsletterList } from './newsletter.table.js';

/** The job that sends an issue (src/jobs/job.handlers.ts → issue.job.ts). */
export const SEND_JOB = 'newsletter.send';
export const MAX_SUBJECT = 200;
export const MAX_INTRO = 4000;
export const MAX_ARTICLES = 20;

export interface IssueInput {
  listId: number | null;
  subject: string;
  intro: string;
  articleIds: number[];
}

/** The site's public origin for links in emails: the site setting, else this server's own address. */
export function siteOrigin(settings: Pick<SiteSettings, 'siteUrl'>, fallback = `http://localhost:${process.env.PORT || 3000}`): string {
  return (settings.siteUrl.trim() || fallback).replace(/\/+$/, '');
}

async function checkInput(
  db: Executor,
  input: IssueInput,
): Promise<{ list: NewsletterList; subject: string; intro: string; articleIds: number[] }> {
  if (input.listId === null) throw invalid('Choose the list this issue goes to.', 'list');
  const list = await findList(db, input.listId);
  if (!list) throw invalid('Choose the list this issue goes to.', 'list');
  const subject = input.subject.replace(/\s+/g, ' ').trim();
  if (!subject) throw invalid('Give the issue a subject line.', 'subject');
  if (subject.length > MAX_SUBJECT) throw invalid(`The subject is at most ${MAX_SUBJECT} characters.`, 'subject');
  const intro = input.intro.replace(/\r\n?/g, '\n').trim();
  if (intro.length > MAX_INTRO) throw invalid(`The introduction is at most ${MAX_INTRO} characters.`, 'intro');
  const articleIds = [...new Set(input.articleIds)];
  if (articleIds.length === 0) throw invalid('Choose at least one published article.', 'articles');
  if (articleIds.length > MAX_ARTICLES) throw invalid(`An issue carries at most ${MAX_ARTICLES} articles.`, 'articles');
  const published = await db.selectFrom('articles').select('id').where('id', 'in', articleIds).where('status', '=', 'published').execute();
  if (published.length !== articleIds.length) throw invalid('Only published articles can go in an issue.', 'articles');
  return { list, subject, intro, articleIds };
}

/** A new draft issue (composed in the newsroom). */
export async function createIssue(
  trx: Executor,
  input: IssueInput & { actor?: Actor | null; origin?: IssueOrigin; now?: Date },
): Promise<number> {
  const checked = await checkInput(trx, input);
  const now = (input.now ?? new Date()).toISOString();
  const id = await insertIssue(trx, {
    listId: checked.list.id,
    subject: checked.subject,
    intro: checked.intro,
    articleIds: checked.articleIds,
    origin: input.origin ?? 'manual',
    createdBy: input.actor?.userId ?? null,
    now,
  });
  await recordEvent(trx, 'newsletter.changed', id, { issue: id, action: 'created', ...(input.actor ? { by: input.actor.name } : {}) });
  return id;
}

async function draftOrThrow(db: Executor, id: number): Promise<NewsletterIssue> {
  const issue = await findIssue(db, id);
  if (!issue) throw notFound('That issue no longer exists.');
  if (issue.status !== 'draft') throw new AppError('duplicate', 'This issue has already been sent; it can no longer be changed.');
  return issue;
}

export async function updateIssue(trx: Executor, input: IssueInput & { id: number; actor?: Actor | null; now?: Date }): Promise<void> {
  await draftOrThrow(trx, input.id);
  const checked = await checkInput(trx, input);
  await updateDraftRow(trx, input.id, {
    listId: checked.list.id,
    subject: checked.subject,
    intro: checked.intro,
    articleIds: checked.articleIds,
    now: (input.now ?? new Date()).toISOString(),
  });
  await recordEvent(trx, 'newsletter.changed', input.id, {
    issue: input.id,
    action: 'saved',
    ...(input.actor ? { by: input.actor.name } : {}),
  });
}

export async function deleteIssue(trx: Executor, input: { id: number; actor?: Actor | null }): Promise<void> {
  await draftOrThrow(trx, input.id);
  await deleteDraftRow(trx, input.id);
  await recordEvent(trx, 'newsletter.changed', input.id, {
    issue: input.id,
    action: 'deleted',
    ...(input.actor ? { by: input.actor.name } : {}),
  });
}

/**
 * Sends a draft issue: it becomes `sending` and its send job is queued, in the caller's
 * transaction (so a crash after the commit still sends it; the job does the mailing).
 */
export async function queueIssue(trx: Executor, input: { id: number; actor?: Actor | null; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const issue = await draftOrThrow(trx, input.id);
  const articles = parseArticleIds(issue.article_ids);
  const published = articles.length
    ? await trx.selectFrom('articles').select('id').where('id', 'in', articles).where('status', '=', 'published').execute()
    : [];
  if (published.length === 0) throw invalid('None of this issue’s articles is published any more.', 'articles');
  if (!(await markQueued(trx, issue.id, now.toISOString()))) {
    throw new AppError('duplicate', 'This issue has already been sent; it can no longer be changed.');
  }
  await enqueueJob(trx, { type: SEND_JOB, payload: { issueId: issue.id }, key: `${SEND_JOB}:${issue.id}`, maxAttempts: 20 }, now);
  await recordEvent(trx, 'newsletter.changed', issue.id, {
    issue: issue.id,
    action: 'queued',
    ...(input.actor ? { by: input.actor.name } : {}),
  });
}

export function parseArticleIds(json: string): number[] {
  try {
    const ids = JSON.parse(json) as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x) && x > 0) : [];
  } catch {
    return [];
  }
}

/** The email of an issue, rendered once with placeholders for each recipient's links. */
export async function issueEmail(
  db: Executor,
  issue: Pick<NewsletterIssue, 'subject' | 'intro' | 'article_ids' | 'queued_at' | 'created_at'>,
  list: Pick<NewsletterList, 'name'>,
  settings: SiteSettings,
  origin = siteOrigin(settings),
): Promise<RenderedEmail> {
  const cards = await cardsInOrder(db, parseArticleIds(issue.article_ids));
  if (cards.length === 0) throw invalid('None of this issue’s articles is published any more.', 'articles');
  const articles: EmailArticle[] = cards.map((card) => {
    const jpegs = card.hero?.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width) ?? [];
    // The smallest JPEG at least as wide as the email's column (twice that for sharp screens if there is one).
    const variant = jpegs.find((v) => v.width >= 1072) ?? jpegs.find((v) => v.width >= 536) ?? jpegs.at(-1);
    return {
      headline: card.headline,
      standfirst: card.standfirst,
      url: `${origin}${articleUrl(card)}`,
      section: card.section.name,
      byline: card.authors.length ? `By ${joinNames(card.authors.map((a) => a.name))}` : '',
      image:
        card.hero && variant
          ? { src: `${origin}${mediaUrl(variant.path)}`, width: variant.width, height: variant.height, alt: card.hero.alt }
          : null,
    };
  });
  return renderIssueEmail({
    siteName: settings.siteName,
    origin,
    lang: settings.locale || 'en',
    listName: list.name,
    subject: issue.subject,
    intro: issue.intro,
    articles,
    dateLine: formatDate(issue.queued_at ?? issue.created_at, settings),
  });
}
