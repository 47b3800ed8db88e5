import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError, invalid, notFound } from '../errors.js';
import type { Executor, RecordedEvent } from '../events.js';
import { startTicker } from '../jobs/ticker.js';
import { loadSettings, type SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { formatDate } from '../web/format.js';
import { findListBySlug, insertIssue, issueByTrigger, lastSentIssue, listsWithMode, publishedArticles } from './issue.repo.js';
import { queueIssue } from './issue.service.js';
import type { IssueOrigin } from './issue.table.js';
import type { NewsletterList } from './newsletter.table.js';

/** Articles an automatic issue carries at most (the newest). */
export const AUTO_ARTICLES = 10;
/** A digest is made from its local time for this long; a server that was down all that while skips the day. */
const DIGEST_WINDOW_MINUTES = 6 * 60;

/** Makes an issue and queues its send, in the caller's transaction. */
async function makeAndQueue(
  trx: Executor,
  input: {
    list: NewsletterList;
    subject: string;
    intro?: string;
    articleIds: number[];
    origin: IssueOrigin;
    triggerKey?: string;
    actor?: Actor | null;
    now: Date;
  },
): Promise<number> {
  const id = await insertIssue(trx, {
    listId: input.list.id,
    subject: input.subject.slice(0, 200),
    intro: input.intro ?? '',
    articleIds: input.articleIds,
    origin: input.origin,
    triggerKey: input.triggerKey ?? null,
    createdBy: input.actor?.userId ?? null,
    now: input.now.toISOString(),
  });
  await queueIssue(trx, { id, actor: input.actor, now: input.now });
  return id;
}

/**
 * `article.published` (a row of src/events.subscribers.ts): each list in `on_publish` mode whose
 * section is the article's (or that is site-wide: no section) gets an issue with that article,
 * queued in the publishing transaction. Once per list and article, however often it is
 * republished.
 */
export async function queueOnPublish(trx: Executor, event: RecordedEvent): Promise<void> {
  if (event.subjectId === null) return;
  const lists = await listsWithMode(trx, 'on_publish');
  if (lists.length === 0) return;
  const article = await trx
    .selectFrom('articles')
    .select(['id', 'headline', 'section_id', 'status'])
    .where('id', '=', event.subjectId)
    .executeTakeFirst();
  if (article?.status !== 'published') return;
  for (const list of lists) {
    if (list.section_id !== null && list.section_id !== article.section_id) continue;
    const triggerKey = `publish:${list.id}:${article.id}`;
    if (await issueByTrigger(trx, triggerKey)) continue;
    await makeAndQueue(trx, {
      list,
      subject: article.headline,
      articleIds: [article.id],
      origin: 'on_publish',
      triggerKey,
      now: new Date(),
    });
  }
}

/** "Send as breaking news" from the article editor: an issue of the `breaking` list with this article, sent now. */
export async function sendBreaking(trx: Executor, input: { articleId: number; actor?: Actor | null; now?: Date }): Promise<number> {
  const list = await findListBySlug(trx, 'breaking');
  if (!list) throw notFound('There is no breaking-news list (slug “breaking”): create it under Newsletters first.');
  const article = await trx
    .selectFrom('articles')
    .select(['id', 'headline', 'status'])
    .where('id', '=', input.articleId)
    .executeTakeFirst();
  if (!article) throw notFound('That article no longer exists.');
  if (article.status !== 'published') throw invalid('Only a published article can be sent as breaking news.');
  const triggerKey = `breaking:${article.id}`;
  if (await issueByTrigger(trx, triggerKey)) throw new AppError('duplicate', 'This article has already been sent as breaking news.');
  return makeAndQueue(trx, {
    list,
    subject: article.headline,
    articleIds: [article.id],
    origin: 'breaking',
    triggerKey,
    actor: input.actor,
    now: input.now ?? new Date(),
  });
}

/** The newest published articles for the list (its section's, or all for a site-wide list) since its last issue. */
async function articlesSinceLastIssue(db: Executor, list: NewsletterList, now: Date): Promise<number[]> {
  const last = await lastSentIssue(db, list.id);
  const rows = await publishedArticles(db, {
    limit: AUTO_ARTICLES,
    sectionId: list.section_id,
    since: last ? (last.queued_at ?? last.created_at) : null,
    until: now.toISOString(),
  });
  return rows.map((r) => r.id);
}

const subjectFor = (list: NewsletterList, now: Date, settings: SiteSettings) => `${list.name} — ${formatDate(now.toISOString(), settings)}`;

/**
 * `gazette newsletter send LIST_SLUG`: an issue of that list with the newest published articles
 * since its last issue, queued now. Null when there is nothing new to send.
 */
export async function issueListNow(
  db: Kysely<Database>,
  input: { slug: string; now?: Date; origin?: IssueOrigin },
): Promise<{ list: NewsletterList; issueId: number | null }> {
  const now = input.now ?? new Date();
  const list = await findListBySlug(db, input.slug);
  if (!list) throw notFound(`There is no newsletter list “${input.slug}”.`);
  const settings = await loadSettings(db);
  return db.transaction().execute(async (trx) => {
    const articleIds = await articlesSinceLastIssue(trx, list, now);
    if (articleIds.length === 0) return { list, issueId: null };
    const issueId = await makeAndQueue(trx, {
      list,
      subject: subjectFor(list, now, settings),
      articleIds,
      origin: input.origin ?? 'cli',
      now,
    });
    return { list, issueId };
  });
}

/** The date (YYYY-MM-DD) and minutes since midnight at `now` in the time zone. */
export function localClock(now: Date, timeZone: string): { date: string; minutes: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return localClock(now, 'UTC');
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minutesOf = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 7 * 60;
};

/**
 * Lists in `daily_digest` mode whose local time (the site's time zone) has come today and that
 * have no digest for today yet: one issue each with the articles published since the last one
 * (none → no issue and no email). Returns the ids of the issues queued.
 */
export async function queueDigests(db: Kysely<Database>, now = new Date()): Promise<number[]> {
  const lists = await listsWithMode(db, 'daily_digest');
  if (lists.length === 0) return [];
  const settings = await loadSettings(db);
  const clock = localClock(now, settings.timeZone);
  const queued: number[] = [];
  for (const list of lists) {
    const since = clock.minutes - minutesOf(list.digest_time);
    if (since < 0 || since >= DIGEST_WINDOW_MINUTES) continue;
    const triggerKey = `digest:${list.id}:${clock.date}`;
    if (await issueByTrigger(db, triggerKey)) continue;
    const id = await db.transaction().execute(async (trx) => {
      if (await issueByTrigger(trx, triggerKey)) return null;
      const articleIds = await articlesSinceLastIssue(trx, list, now);
      if (articleIds.length === 0) return null;
      return makeAndQueue(trx, { list, subject: subjectFor(list, now, settings), articleIds, origin: 'digest', triggerKey, now });
    });
    if (id !== null) queued.push(id);
  }
  return queued;
}

/** Looks for digests due once a minute (in the process that runs the scheduler and jobs). */
export function startDigestTimer(
  db: Kysely<Database>,
  opts: { intervalMs?: number; onQueued?: (ids: number[]) => void; onError?: (error: unknown) => void } = {},
): { stop(): void; tick(): Promise<number[]> } {
  return startTicker(() => queueDigests(db), { intervalMs: opts.intervalMs ?? 60_000, onDone: opts.onQueued, onError: opts.onError });
}
