import { authorIdsFor, splitNames, tagIdsFor } from '../articles/article.refs.js';
import { ACTIONS, type WorkflowAction } from '../articles/article.rules.js';
import type { ArticleFields } from '../articles/article.workflow.js';
import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { parseDateTime, zoneOffsetMinutes } from '../text/time.js';

/** The editor's fields exactly as typed, so a refused save shows them again unchanged. */
export interface EditorValues {
  headline: string;
  standfirst: string;
  slug: string;
  section: string;
  authors: string;
  tags: string;
  body: string;
  heroMediaId: string;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
  commentsOpen: boolean;
  /** "2026-11-30T09:00", wall-clock time in the site's time zone. */
  published: string;
  version: string;
}

export const EMPTY_VALUES: EditorValues = {
  headline: '',
  standfirst: '',
  slug: '',
  section: '',
  authors: '',
  tags: '',
  body: '',
  heroMediaId: '',
  heroAlt: '',
  heroCaption: '',
  heroCredit: '',
  commentsOpen: true,
  published: '',
  version: '',
};

const str = (v: unknown, max = 250_000) =>
  typeof v === 'string' ? v.slice(0, max) : Array.isArray(v) ? String(v[0] ?? '').slice(0, max) : '';

export function valuesFromBody(body: unknown): EditorValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    headline: str(b.headline, 1000),
    standfirst: str(b.standfirst, 5000),
    slug: str(b.slug, 500),
    section: str(b.section, 20),
    authors: str(b.authors, 5000),
    tags: str(b.tags, 5000),
    body: str(b.body).replace(/\r\n?/g, '\n'),
    heroMediaId: str(b.hero_media_id, 20),
    heroAlt: str(b.hero_alt, 2000),
    heroCaption: str(b.hero_caption, 5000),
    heroCredit: str(b.hero_credit, 2000),
    commentsOpen: str(b.comments) === 'open',
    published: str(b.published, 100),
    version: str(b.version, 100),
  };
}

/** The action a submit button asked for ("save" or a workflow action). */
export function actionFromBody(body: unknown): WorkflowAction | 'save' {
  const raw = str((body as Record<string, unknown> | undefined)?.action, 20);
  return (ACTIONS as readonly string[]).includes(raw) ? (raw as WorkflowAction) : 'save';
}

/** ISO UTC → "2026-11-30T09:00:00" on the site's clock (for <input type="datetime-local">). */
export function toZoneInput(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  return new Date(at.getTime() + zoneOffsetMinutes(timeZone, at) * 60000).toISOString().slice(0, 19);
}

/** Resolves what was typed into stored values: people and tags by name (new ones created), the time in the site's zone. */
export async function fieldsFromValues(trx: Executor, v: EditorValues, timeZone: string): Promise<ArticleFields> {
  let publishedAt: string | null = null;
  if (v.published.trim()) {
    const at = parseDateTime(v.published, timeZone);
    if (!at) throw invalid('Enter the publication time as a date and time, e.g. 2026-11-30 09:00.', 'published');
    publishedAt = at.toISOString();
  }
  const sectionId = /^\d{1,9}$/.test(v.section) ? Number(v.section) : null;
  const heroMediaId = /^\d{1,9}$/.test(v.heroMediaId) ? Number(v.heroMediaId) : null;
  let authorNames: string[];
  let tagNames: string[];
  try {
    authorNames = splitNames(v.authors);
  } catch (error) {
    throw invalid((error as Error).message, 'authors');
  }
  try {
    tagNames = splitNames(v.tags);
  } catch (error) {
    throw invalid((error as Error).message, 'tags');
  }
  if (authorNames.length > 20) throw invalid('Name at most 20 authors.', 'authors');
  if (tagNames.length > 30) throw invalid('Use at most 30 tags.', 'tags');
  return {
    headline: v.headline.trim(),
    standfirst: v.standfirst.trim(),
    slug: v.slug.trim(),
    sectionId,
    authorIds: await authorIdsFor(trx, authorNames),
    tagIds: await tagIdsFor(trx, tagNames),
    bodyMd: v.body,
    publishedAt,
    commentsOpen: v.commentsOpen,
    heroMediaId,
    heroAlt: v.heroAlt,
    heroCaption: v.heroCaption,
    heroCredit: v.heroCredit,
  };
}
