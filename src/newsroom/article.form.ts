import { Type } from 'typebox';
import { authorIdsFor, splitNames, tagIdsFor } from '../articles/article.refs.js';
import { ACTIONS, type WorkflowAction } from '../articles/article.rules.js';
import type { ArticleFields } from '../articles/article.workflow.js';
import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { parseDateTime, zoneOffsetMinutes } from '../text/time.js';
import { formFields } from '../web/request.parse.js';

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

const field = (maxLength: number, description: string) => Type.String({ maxLength, description });

/** The fields the article editor posts (`/admin/articles`, `/admin/articles/:id`), with the characters kept of each. */
export const ArticleFormSchema = Type.Object({
  headline: field(1000, 'Headline'),
  standfirst: field(5000, 'Standfirst'),
  slug: field(500, 'Address part; empty: derived from the headline'),
  section: field(20, 'Section id'),
  authors: field(5000, 'Byline: names separated by commas'),
  tags: field(5000, 'Tags separated by commas'),
  body: field(250_000, 'Markdown'),
  hero_media_id: field(20, 'Lead image: a media library id'),
  hero_alt: field(2000, 'Lead image: alternative text'),
  hero_caption: field(5000, 'Lead image: caption'),
  hero_credit: field(2000, 'Lead image: credit'),
  comments: field(20, '"open" when the box is ticked'),
  published: field(100, 'Publication time on the site clock, e.g. 2026-11-30T09:00'),
  version: field(100, 'The version the editor started from (conflict check)'),
  action: field(20, 'The submit button: save or a workflow action'),
  autosave: field(1, '"1" when the page saved a draft by itself'),
});

export function valuesFromBody(body: unknown): EditorValues {
  const f = formFields(ArticleFormSchema, body);
  return {
    headline: f.headline,
    standfirst: f.standfirst,
    slug: f.slug,
    section: f.section,
    authors: f.authors,
    tags: f.tags,
    body: f.body.replace(/\r\n?/g, '\n'),
    heroMediaId: f.hero_media_id,
    heroAlt: f.hero_alt,
    heroCaption: f.hero_caption,
    heroCredit: f.hero_credit,
    commentsOpen: f.comments === 'open',
    published: f.published,
    version: f.version,
  };
}

/** The action a submit button asked for ("save" or a workflow action). */
export function actionFromBody(body: unknown): WorkflowAction | 'save' {
  const raw = formFields(ArticleFormSchema, body).action;
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
