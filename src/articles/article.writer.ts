import { sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import { conflict } from '../errors.js';
import type { EventType, Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { followArticle } from '../redirects/redirect.service.js';
import { baselineOf, keepBaseline, type RevisionAuthor, recordRevision, SYSTEM_AUTHORS } from '../revisions/revision.service.js';
import { indexArticle } from '../search/search.index.js';
import { setArticleTags } from '../tags/tag.service.js';
import { renderMarkdown } from '../text/markdown.js';
import { countWords } from '../text/reading.js';
import type { Actor } from '../users/user.table.js';
import { changeNote, eventFor, stepFor } from './article.changes.js';
import { setArticleAuthors } from './article.repo.js';
import { TRANSITIONS, type WorkflowAction } from './article.rules.js';
import type { ArticleRow, ArticleStatus } from './article.table.js';

/**
 * Who writes an article: someone in the newsroom (a person or an API token), `gazette publish`
 * (and the demo loader), the scheduler, or an importer. It decides whom the revision and the
 * event name; what was stored decides which event it is.
 */
export type ArticleWriter =
  | { kind: 'staff'; actor: Actor }
  | { kind: 'publish'; by?: RevisionAuthor }
  | { kind: 'scheduler' }
  | { kind: 'import'; by?: RevisionAuthor };

/** The stored fields of an article after a change (the body's HTML and word count are derived). */
export interface ArticleValues {
  slug: string;
  sectionId: number;
  headline: string;
  standfirst: string;
  bodyMd: string;
  status: ArticleStatus;
  /** ISO UTC: when it went (or goes) live. */
  publishedAt: string | null;
  commentsOpen: boolean;
  heroMediaId: number | null;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
}

/** A stored row's fields, to change some of them. */
export function valuesOf(row: ArticleRow): ArticleValues {
  return {
    slug: row.slug,
    sectionId: row.section_id,
    headline: row.headline,
    standfirst: row.standfirst,
    bodyMd: row.body_md,
    status: row.status,
    publishedAt: row.published_at,
    commentsOpen: row.comments_open === 1,
    heroMediaId: row.hero_media_id,
    heroAlt: row.hero_alt,
    heroCaption: row.hero_caption,
    heroCredit: row.hero_credit,
  };
}

export interface ArticleChange {
  /** The article as read in this transaction before the change; none creates one. */
  current?: ArticleRow;
  values: ArticleValues;
  /** The byline and tags; none keeps them as they are. */
  authorIds?: number[];
  tagIds?: number[];
  /** The workflow step taken in the newsroom; other writers' steps follow from the status they set. */
  action?: WorkflowAction;
  /** The revision's note, when the writer's own words are not wanted. */
  note?: string;
  /** Autosaves of drafts keep no revision (and are marked in the event). */
  autosave?: boolean;
  now?: Date;
  /** Imports only: keep the article's id and times from where it came from. */
  kept?: { id?: number; createdAt?: string; updatedAt?: string | null };
}

export interface StoredArticle {
  id: number;
  slug: string;
  status: ArticleStatus;
  publishedAt: string | null;
  modifiedAt: string;
  created: boolean;
  event: EventType;
}

type StoredColumns = Omit<ArticleRow, 'id' | 'created_at' | 'updated_at' | 'created_by' | 'created_by_token'>;

const authorOf = (w: ArticleWriter): RevisionAuthor =>
  w.kind === 'staff' ? w.actor : w.kind === 'scheduler' ? SYSTEM_AUTHORS.scheduler : (w.by ?? SYSTEM_AUTHORS[w.kind]);

function payloadOf(w: ArticleWriter, slug: string, from: ArticleStatus | undefined, to: ArticleStatus, autosave?: boolean) {
  switch (w.kind) {
    case 'staff':
      return { slug, from: from ?? null, to, by: w.actor.name, userId: w.actor.userId, ...(autosave ? { autosave: true } : {}) };
    case 'scheduler':
      return { slug, scheduled: true };
    case 'import':
      return { slug, status: to, imported: true };
    default:
      return { slug, status: to };
  }
}

/**
 * The one way an article is written, whoever writes it: stores the row, its byline, tags, search
 * entry and redirects, keeps the change as a revision and records its event (whose subscribers
 * queue the jobs it causes), all in the caller's transaction. Rules about who may do what belong
 * to the callers; this stores what they decided.
 */
export async function storeArticle(trx: Executor, change: ArticleChange, writer: ArticleWriter): Promise<StoredArticle> {
  const { current, values: v } = change;
  const now = change.now ?? new Date();
  const nowIso = now.toISOString();
  const from = current?.status;
  const to = v.status;
  const action = change.action ?? (writer.kind === 'staff' ? undefined : stepFor(from, to));
  // "Updated" shows when a live article changes, or when the newsroom brings one back with its
  // first publication time (a file published again starts a new one).
  const comesBack = writer.kind === 'staff' && from === 'unpublished' && !!current?.published_at;
  const showsUpdate = to === 'published' && (from === 'published' || comesBack);
  const row: StoredColumns = {
    slug: v.slug,
    section_id: v.sectionId,
    headline: v.headline,
    standfirst: v.standfirst,
    body_md: v.bodyMd,
    body_html: renderMarkdown(v.bodyMd),
    word_count: countWords(v.bodyMd),
    status: to,
    published_at: v.publishedAt,
    comments_open: v.commentsOpen ? 1 : 0,
    hero_media_id: v.heroMediaId,
    hero_alt: v.heroAlt,
    hero_caption: v.heroCaption,
    hero_credit: v.heroCredit,
    modified_at: nowIso,
  };
  // An article with no history yet (written before revisions were kept, or by a bulk load) keeps
  // its state from before this change as revision 1. A draft begun in the newsroom and only
  // autosaved since has none on purpose: autosaves are not history.
  const begunInNewsroom = current && (current.created_by !== null || current.created_by_token !== null);
  const before = current && !begunInNewsroom ? await baselineOf(trx, current.id) : undefined;
  let id: number;
  if (current) {
    id = current.id;
    const result = await trx
      .updateTable('articles')
      .set({ ...row, ...(showsUpdate ? { updated_at: nowIso } : {}) })
      .where('id', '=', id)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw conflict('This article changed meanwhile: reload it and try again.');
  } else {
    id = await insertArticle(trx, row, writer, change.kept, nowIso);
  }
  if (change.authorIds) await setArticleAuthors(trx, id, change.authorIds);
  if (change.tagIds) await setArticleTags(trx, id, change.tagIds);
  await indexArticle(trx, id);
  await followArticle(trx, {
    articleId: id,
    before: current && { sectionId: current.section_id, slug: current.slug, status: current.status },
    after: { sectionId: v.sectionId, slug: v.slug, status: to },
    now,
  });
  const event = eventFor(action, from, to);
  const note = change.note ?? changeNote(writer.kind, event, action ? TRANSITIONS[action].label : undefined);
  if (change.autosave) await keepBaseline(trx, before);
  else await recordRevision(trx, { articleId: id, actor: authorOf(writer), note, now, before });
  await recordEvent(trx, event, id, payloadOf(writer, v.slug, from, to, change.autosave));
  return { id, slug: v.slug, status: to, publishedAt: v.publishedAt, modifiedAt: nowIso, created: !current, event };
}

async function insertArticle(
  trx: Executor,
  row: StoredColumns,
  writer: ArticleWriter,
  kept: ArticleChange['kept'],
  nowIso: string,
): Promise<number> {
  const staff = writer.kind === 'staff' ? writer.actor : undefined;
  const imported = writer.kind === 'import' ? kept : undefined;
  const inserted = await trx
    .insertInto('articles')
    .values({
      ...row,
      ...(imported?.id !== undefined ? { id: imported.id } : {}),
      created_at: imported?.createdAt ?? nowIso,
      updated_at: imported?.updatedAt ?? null,
      created_by: staff?.userId ?? null,
      created_by_token: staff?.tokenId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A given id leaves PostgreSQL's sequence behind: move it past the largest id.
  if (imported?.id !== undefined && dialectOf(trx) === 'postgres') {
    await sql`SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))`.execute(trx);
  }
  return inserted.id;
}
