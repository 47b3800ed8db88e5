import { AppError, conflict, invalid, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { isValidSlug, toSlug } from '../text/slug.js';
import type { Actor } from '../users/user.table.js';
import {
  ARTICLE_ROLES,
  assertEdit,
  assertPublishable,
  assertTransition,
  assertView,
  type Ownership,
  STATUS_LABELS,
  TRANSITIONS,
  type WorkflowAction,
} from './article.rules.js';
import type { ArticleRow, ArticleStatus } from './article.table.js';
import { type ArticleValues, type StoredArticle, storeArticle, valuesOf } from './article.writer.js';

/** The fields of an article the newsroom edits, with sections, people and tags already resolved to ids. */
export interface ArticleFields extends Omit<ArticleValues, 'status' | 'sectionId'> {
  /** Empty: derived from the headline. */
  slug: string;
  /** None: the first section in the navigation (drafts). */
  sectionId: number | null;
  authorIds: number[];
  tagIds: number[];
}

export interface WriteInput {
  actor: Actor;
  /** The article to change; none creates one. */
  id?: number;
  /** New field values; none keeps the article as it is (a pure status change). */
  fields?: ArticleFields;
  action?: WorkflowAction;
  /** The article's `modified_at` when the editor was loaded: a later change by someone else is a conflict. */
  expected?: string;
  /** Autosaves of drafts keep no revision. */
  autosave?: boolean;
  note?: string;
  now?: Date;
}

export type WriteResult = Omit<StoredArticle, 'event'>;

const LIMITS: [keyof ArticleFields, string, number][] = [
  ['headline', 'headline', 300],
  ['standfirst', 'standfirst', 1000],
  ['bodyMd', 'body', 200_000],
  ['heroAlt', 'hero_alt', 500],
  ['heroCaption', 'hero_caption', 1000],
  ['heroCredit', 'hero_credit', 300],
];

function checkLimits(f: ArticleFields): void {
  for (const [key, field, max] of LIMITS) {
    if (String(f[key]).length > max) throw invalid(`The ${field.replace('_', ' ')} is longer than ${max} characters.`, field);
  }
  if (f.authorIds.length > 20) throw invalid('Name at most 20 authors.', 'authors');
  if (f.tagIds.length > 30) throw invalid('Use at most 30 tags.', 'tags');
  if (f.publishedAt !== null && Number.isNaN(Date.parse(f.publishedAt))) throw invalid('The publication time is not a date.', 'published');
}

export async function findArticleRow(db: Executor, id: number): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The current fields of a stored article. */
export async function fieldsOf(db: Executor, row: ArticleRow): Promise<ArticleFields> {
  const [authors, tags] = await Promise.all([
    db.selectFrom('article_authors').select('person_id').where('article_id', '=', row.id).orderBy('position').execute(),
    db.selectFrom('article_tags').select('tag_id').where('article_id', '=', row.id).execute(),
  ]);
  const { status: _status, ...values } = valuesOf(row);
  return { ...values, authorIds: authors.map((a) => a.person_id), tagIds: tags.map((t) => t.tag_id) };
}

/** A slug given by hand must be free; one derived from the headline gets -2, -3… when taken. */
async function resolveSlug(trx: Executor, wanted: string, headline: string, selfId: number | undefined): Promise<string> {
  const taken = async (slug: string) => {
    let q = trx.selectFrom('articles').select('id').where('slug', '=', slug);
    if (selfId !== undefined) q = q.where('id', '!=', selfId);
    return !!(await q.executeTakeFirst());
  };
  const slug = wanted.trim();
  if (slug) {
    if (!isValidSlug(slug))
      throw invalid('The slug may only have lower-case letters, digits and single hyphens (e.g. "council-budget").', 'slug');
    if (await taken(slug)) throw conflict(`The slug "${slug}" is already used by another article: choose another.`, 'slug');
    return slug;
  }
  const base = headline.trim() ? toSlug(headline) : 'untitled';
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 110)}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}

async function checkReferences(trx: Executor, f: ArticleFields): Promise<number> {
  let sectionId = f.sectionId;
  if (sectionId === null) {
    // Drafts need a section in the database: the first one in the navigation until one is chosen.
    const first = await trx.selectFrom('sections').select('id').orderBy('position').orderBy('name').executeTakeFirst();
    if (!first) throw invalid('Create a section first (Sections in the newsroom).', 'section');
    sectionId = first.id;
  } else if (!(await trx.selectFrom('sections').select('id').where('id', '=', sectionId).executeTakeFirst())) {
    throw invalid('That section does not exist.', 'section');
  }
  if (f.authorIds.length) {
    const found = await trx.selectFrom('people').select('id').where('id', 'in', f.authorIds).execute();
    if (found.length !== new Set(f.authorIds).size) throw invalid('One of the authors does not exist.', 'authors');
  }
  if (f.heroMediaId !== null && !(await trx.selectFrom('media').select('id').where('id', '=', f.heroMediaId).executeTakeFirst())) {
    throw invalid('The hero image is no longer in the media library.', 'hero');
  }
  return sectionId;
}

/** When the article is (or goes) live after this change. */
function livePublishedAt(
  action: WorkflowAction | undefined,
  from: ArticleStatus,
  f: ArticleFields,
  previous: string | null,
  now: Date,
): string | null {
  // Republishing, or editing a live article, keeps the publication time unless another one is given.
  const keepsPrevious = (action === 'publish' && from === 'unpublished') || (!action && from === 'published');
  const fallback = keepsPrevious ? previous : null;
  const chosen = f.publishedAt ?? fallback;
  const given = chosen ? new Date(chosen) : null;
  if (action === 'schedule') {
    if (!given) throw invalid('Choose the date and time to publish at.', 'published');
    if (given.getTime() <= now.getTime())
      throw invalid('The publication time has passed: choose a later time, or publish now.', 'published');
    return given.toISOString();
  }
  if (action === 'publish') {
    // A time in the past is kept (republishing, or back-dating); a future one gives way to now.
    return given && given.getTime() <= now.getTime() ? given.toISOString() : now.toISOString();
  }
  if (!action && from === 'scheduled' && (!given || given.getTime() <= now.getTime())) {
    throw invalid('A scheduled article needs a publication time in the future.', 'published');
  }
  return given ? given.toISOString() : null;
}

/**
 * The one way the newsroom and the API change an article: create or edit it, and/or move it
 * along the workflow. Permissions and publishing rules are checked here; the article writer
 * (article.writer.ts) stores the change with its revision and event in the caller's transaction.
 */
export async function writeArticle(trx: Executor, input: WriteInput): Promise<WriteResult> {
  const { actor } = input;
  const now = input.now ?? new Date();
  const current = input.id !== undefined ? await findArticleRow(trx, input.id) : undefined;
  if (input.id !== undefined && !current) throw notFound('No such article.');
  if (!ARTICLE_ROLES.includes(actor.role)) throw new AppError('forbidden', 'Your role has no access to articles.');
  const owner: Ownership = current ?? { status: 'draft', created_by: actor.userId, created_by_token: actor.tokenId ?? null };
  if (current && input.fields) assertEdit(actor, current);
  else if (current) assertView(actor, current);
  if (input.action) assertTransition(actor, owner, input.action);
  if (current && input.expected && input.expected !== current.modified_at) {
    throw conflict('Someone else changed this article after you opened it. Reload it to see their changes (copy your text first).');
  }
  const from = current?.status;
  if (input.autosave && (input.action || (from && from !== 'draft' && from !== 'in_review'))) {
    throw conflict('Only drafts are saved automatically: save this article with the Save button.');
  }
  const fields: ArticleFields = input.fields ? { ...input.fields } : await fieldsOf(trx, current as ArticleRow);
  // Writers propose; only editors set when an article goes live.
  if (actor.role === 'writer') fields.publishedAt = current?.published_at ?? null;
  checkLimits(fields);
  const sectionId = await checkReferences(trx, fields);
  const slug = await resolveSlug(trx, fields.slug, fields.headline, current?.id);
  const to = input.action ? TRANSITIONS[input.action].to : (from ?? 'draft');
  const publishedAt = livePublishedAt(input.action, from ?? 'draft', fields, current?.published_at ?? null, now);
  if (to === 'published' || to === 'scheduled') assertPublishable({ ...fields, sectionId });

  const values: ArticleValues = {
    slug,
    sectionId,
    headline: fields.headline.trim(),
    standfirst: fields.standfirst.trim(),
    bodyMd: fields.bodyMd,
    status: to,
    publishedAt,
    commentsOpen: fields.commentsOpen,
    heroMediaId: fields.heroMediaId,
    heroAlt: fields.heroAlt.trim(),
    heroCaption: fields.heroCaption.trim(),
    heroCredit: fields.heroCredit.trim(),
  };
  const byline = input.fields ? { authorIds: fields.authorIds, tagIds: fields.tagIds } : {};
  const stored = await storeArticle(
    trx,
    { current, values, ...byline, action: input.action, note: input.note, autosave: input.autosave, now },
    { kind: 'staff', actor },
  );
  const { event: _event, ...result } = stored;
  return result;
}

/** "Draft", "Scheduled"… for messages. */
export const statusLabel = (s: ArticleStatus) => STATUS_LABELS[s];
