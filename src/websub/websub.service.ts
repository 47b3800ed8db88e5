import type { Kysely } from 'kysely';
import { type Config, webhooksAllowPrivate } from '../config.js';
import type { Database } from '../db/database.js';
import type { Executor, RecordedEvent } from '../events.js';
import { enqueueJob, findJobs } from '../jobs/job.repo.js';
import { type JobHandler, PermanentJobError } from '../jobs/job.runner.js';
import { loadSettings } from '../settings/settings.service.js';
import { postOutbound } from '../webhooks/webhook.http.js';

/**
 * WebSub publishing: when an article is published, changed or withdrawn, the feeds that list it
 * changed, and the hub named in the site settings is told (`hub.mode=publish`, `hub.url=<feed>`)
 * so subscribers fetch them within seconds. One waiting job gathers every article changed until
 * it runs; a failed ping is retried by the job runner.
 */
export const WEBSUB_JOB = 'websub.ping';
const WEBSUB_KEY = 'websub:ping';
const MAX_ARTICLES = 500;
/** The feed files under each feed's base path (as src/feeds/feed.routes.ts serves them). */
const FEED_FILES = ['feed.xml', 'atom.xml', 'feed.json'];

async function hubSetting(db: Executor): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'websubHub').executeTakeFirst();
  const value = row ? JSON.parse(row.value) : '';
  return typeof value === 'string' ? value : '';
}

/** The subscriber of article.published/updated/unpublished (src/events.subscribers.ts). */
export async function queueWebSubPing(trx: Executor, event: RecordedEvent): Promise<void> {
  if (event.subjectId === null || !(await hubSetting(trx))) return;
  const [waiting] = await findJobs(trx, { key: WEBSUB_KEY, status: 'queued', limit: 1 });
  const before: number[] = waiting ? (JSON.parse(waiting.payload).articleIds ?? []) : [];
  const articleIds = [...new Set([...before, event.subjectId])].slice(-MAX_ARTICLES);
  await enqueueJob(trx, { type: WEBSUB_JOB, key: WEBSUB_KEY, payload: { articleIds }, maxAttempts: 8 });
}

/** The site-relative paths of every feed that lists these articles: the site's, their sections', authors' and tags'. */
export async function feedPathsOf(db: Executor, articleIds: number[]): Promise<string[]> {
  const bases = new Set<string>(['']);
  if (articleIds.length) {
    const [sections, authors, tags] = await Promise.all([
      db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select('sections.slug')
        .where('articles.id', 'in', articleIds)
        .execute(),
      db
        .selectFrom('article_authors')
        .innerJoin('people', 'people.id', 'article_authors.person_id')
        .select('people.slug')
        .where('article_authors.article_id', 'in', articleIds)
        .execute(),
      db
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select('tags.slug')
        .where('article_tags.article_id', 'in', articleIds)
        .execute(),
    ]);
    for (const s of sections) bases.add(`/${s.slug}`);
    for (const a of authors) bases.add(`/author/${a.slug}`);
    for (const t of tags) bases.add(`/tag/${t.slug}`);
  }
  return [...bases].flatMap((base) => FEED_FILES.map((file) => `${base}/${file}`));
}

export interface PingOptions {
  allowPrivate?: boolean;
  timeoutMs?: number;
}

/** Tells the hub that these articles' feeds changed; throws (to be retried) when the hub does not accept a ping. */
export async function pingHub(db: Kysely<Database>, articleIds: number[], opts: PingOptions = {}): Promise<number> {
  const settings = await loadSettings(db);
  const hub = settings.websubHub;
  if (!hub) return 0;
  const origin = settings.siteUrl.replace(/\/+$/, '');
  if (!origin)
    throw new PermanentJobError("The site's public address is not set (newsroom settings): feed URLs cannot be named to the hub.");
  const topics = (await feedPathsOf(db, articleIds)).map((path) => `${origin}${path}`);
  const failures: string[] = [];
  for (const topic of topics) {
    const result = await postOutbound({
      url: hub,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      allowPrivate: opts.allowPrivate ?? webhooksAllowPrivate(),
      timeoutMs: opts.timeoutMs,
      maxBytes: 8 * 1024,
    });
    if (result.status === null || result.status < 200 || result.status >= 300) {
      failures.push(`${topic}: ${result.status !== null ? `answered ${result.status}` : result.error}`);
    }
  }
  if (failures.length) throw new Error(`The WebSub hub refused ${failures.length} of ${topics.length} pings (${failures[0]})`);
  return topics.length;
}

/** The `websub.ping` job; private hubs as the process's configuration allows (GAZETTE_WEBHOOKS_ALLOW_PRIVATE). */
export function webSubJobHandler(db: Kysely<Database>, config: Pick<Config, 'webhooksAllowPrivate'>): JobHandler {
  const allowPrivate = config.webhooksAllowPrivate ?? webhooksAllowPrivate();
  return async (payload: { articleIds?: unknown }) => {
    const ids = Array.isArray(payload.articleIds) ? payload.articleIds.filter((x): x is number => Number.isInteger(x)) : [];
    await pingHub(db, ids, { allowPrivate });
  };
}
