import { apiArticles } from '../articles/article.json.js';
import { articleUrl } from '../articles/article.urls.js';
import type { Executor, RecordedEvent } from '../events.js';
import { audioUrl } from '../narration/narration.files.js';
import type { WebhookEvent } from './webhook.events.js';

/**
 * What a delivery says about the object of an event: only what readers or the public API may see
 * (never a commenter's email or address hash, never a subscriber's address). URLs are absolute
 * when the site's public address is set (newsroom settings), else site-relative paths.
 */
export type WebhookData = Record<string, unknown>;

async function siteOrigin(db: Executor): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'siteUrl').executeTakeFirst();
  const value = row ? JSON.parse(row.value) : '';
  return typeof value === 'string' ? value.replace(/\/+$/, '') : '';
}

async function articleData(db: Executor, id: number, origin: string): Promise<WebhookData | undefined> {
  const [article] = await apiArticles(db, [id]);
  if (!article) return undefined;
  return {
    ...article,
    url: `${origin}${article.url}`,
    hero: article.hero ? { ...article.hero, url: `${origin}${article.hero.url}` } : null,
  };
}

async function commentData(db: Executor, id: number, origin: string): Promise<WebhookData | undefined> {
  const row = await db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'comments.id',
      'comments.article_id',
      'comments.parent_id',
      'comments.name',
      'comments.body',
      'comments.status',
      'comments.created_at',
      'comments.moderated_at',
      'articles.slug',
      'sections.slug as section_slug',
    ])
    .where('comments.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    article_id: row.article_id,
    parent_id: row.parent_id,
    name: row.name,
    body: row.body,
    status: row.status,
    created_at: row.created_at,
    moderated_at: row.moderated_at,
    article_url: `${origin}${articleUrl({ slug: row.slug, section: { slug: row.section_slug } })}`,
  };
}

async function narrationData(db: Executor, event: RecordedEvent, origin: string): Promise<WebhookData | undefined> {
  if (event.subjectId === null) return undefined;
  const article = await articleData(db, event.subjectId, origin);
  const file = typeof event.payload.file === 'string' ? event.payload.file : null;
  const duration = typeof event.payload.durationMs === 'number' ? event.payload.durationMs : null;
  return {
    article_id: event.subjectId,
    article_url: article?.url ?? null,
    headline: article?.headline ?? null,
    audio_url: file ? `${origin}${audioUrl(file)}` : null,
    duration_ms: duration,
  };
}

/** A subscriber is named by its id and lists only: the address stays with the newsletter desk. */
function subscriberData(event: RecordedEvent): WebhookData {
  const data: WebhookData = { id: event.subjectId };
  for (const key of ['list', 'lists'] as const) {
    const v = event.payload[key];
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) data[key] = v;
  }
  return data;
}

/** The `data` of an event's deliveries, or undefined when its object is gone (nothing is sent then). */
export async function webhookData(db: Executor, type: WebhookEvent, event: RecordedEvent): Promise<WebhookData | undefined> {
  const origin = await siteOrigin(db);
  switch (type) {
    case 'article.published':
    case 'article.updated':
    case 'article.unpublished':
      return event.subjectId === null ? undefined : articleData(db, event.subjectId, origin);
    case 'comment.submitted':
    case 'comment.approved':
    case 'comment.rejected':
    case 'comment.reported':
      return event.subjectId === null ? undefined : commentData(db, event.subjectId, origin);
    case 'narration.ready':
      return narrationData(db, event, origin);
    case 'subscriber.confirmed':
    case 'subscriber.unsubscribed':
      return subscriberData(event);
  }
}
