import type { Executor } from '../events.js';
import type { Actor } from '../users/user.table.js';
import type { RevisionRow } from './revision.table.js';

/** Every field of an article at one moment, as a revision keeps it. */
export interface RevisionSnapshot {
  headline: string;
  standfirst: string;
  slug: string;
  status: string;
  publishedAt: string | null;
  sectionId: number;
  section: string;
  authors: { id: number; name: string }[];
  tags: { id: number; name: string }[];
  bodyMd: string;
  commentsOpen: boolean;
  heroMediaId: number | null;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
}

export interface Revision {
  id: number;
  number: number;
  actorName: string;
  note: string;
  createdAt: string;
  snapshot: RevisionSnapshot;
}

/** The article as it is now in the database (inside the writing transaction). */
export async function takeSnapshot(db: Executor, articleId: number): Promise<RevisionSnapshot> {
  const a = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .selectAll('articles')
    .select('sections.name as section_name')
    .where('articles.id', '=', articleId)
    .executeTakeFirstOrThrow();
  const [authors, tags] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('people', 'people.id', 'article_authors.person_id')
      .select(['people.id', 'people.name'])
      .where('article_authors.article_id', '=', articleId)
      .orderBy('article_authors.position')
      .execute(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select(['tags.id', 'tags.name'])
      .where('article_tags.article_id', '=', articleId)
      .orderBy('tags.name')
      .execute(),
  ]);
  return {
    headline: a.headline,
    standfirst: a.standfirst,
    slug: a.slug,
    status: a.status,
    publishedAt: a.published_at,
    sectionId: a.section_id,
    section: a.section_name,
    authors,
    tags,
    bodyMd: a.body_md,
    commentsOpen: a.comments_open === 1,
    heroMediaId: a.hero_media_id,
    heroAlt: a.hero_alt,
    heroCaption: a.hero_caption,
    heroCredit: a.hero_credit,
  };
}

const toRevision = (r: RevisionRow): Revision => ({
  id: r.id,
  number: r.number,
  actorName: r.actor_name,
  note: r.note,
  createdAt: r.created_at,
  snapshot: JSON.parse(r.snapshot),
});

/** Who a revision is credited to: a staff member or token, or a part of Gazette itself (no user). */
export type RevisionAuthor = Pick<Actor, 'userId' | 'name'>;

/** The names that appear in the history for changes no person made. */
export const SYSTEM_AUTHORS = {
  publish: { userId: null, name: 'gazette publish' },
  scheduler: { userId: null, name: 'Scheduler' },
  demo: { userId: null, name: 'Demo' },
  import: { userId: null, name: 'Import' },
  /** The state an article was in before its first recorded change. */
  baseline: { userId: null, name: 'Gazette' },
} satisfies Record<string, RevisionAuthor>;

/** An article's state read just before it is changed, kept when it has no revision yet. */
export interface Baseline {
  articleId: number;
  snapshot: string;
  /** When that state was written (the article's modified time). */
  at: string;
}

/**
 * Read before an article is updated: its state, when it has no revision to compare the change
 * with yet (made before revisions were kept, or by a bulk load). Undefined when it has one.
 */
export async function baselineOf(db: Executor, articleId: number): Promise<Baseline | undefined> {
  const any = await db.selectFrom('article_revisions').select('id').where('article_id', '=', articleId).limit(1).executeTakeFirst();
  if (any) return undefined;
  const row = await db.selectFrom('articles').select('modified_at').where('id', '=', articleId).executeTakeFirst();
  if (!row) return undefined;
  return { articleId, snapshot: JSON.stringify(await takeSnapshot(db, articleId)), at: row.modified_at };
}

/**
 * Stores a baseline as revision 1, after the update (which holds the row, so two first edits
 * at once cannot both add one), unless a revision was recorded meanwhile.
 */
export async function keepBaseline(trx: Executor, baseline: Baseline | undefined): Promise<void> {
  if (!baseline) return;
  const any = await trx
    .selectFrom('article_revisions')
    .select('id')
    .where('article_id', '=', baseline.articleId)
    .limit(1)
    .executeTakeFirst();
  if (any) return;
  await trx
    .insertInto('article_revisions')
    .values({
      article_id: baseline.articleId,
      number: 1,
      user_id: null,
      actor_name: SYSTEM_AUTHORS.baseline.name,
      note: 'Before the first recorded edit',
      snapshot: baseline.snapshot,
      created_at: baseline.at,
    })
    .execute();
}

/**
 * Keeps the article's current state as its next revision, in the writing transaction. A save
 * that changed nothing since the last revision adds none. `before` (from `baselineOf`, read
 * before the update) is stored first when the article had no revision. Returns the number.
 */
export async function recordRevision(
  trx: Executor,
  input: { articleId: number; actor: RevisionAuthor; note: string; now?: Date; before?: Baseline },
): Promise<number> {
  await keepBaseline(trx, input.before);
  const snapshot = JSON.stringify(await takeSnapshot(trx, input.articleId));
  const last = await trx
    .selectFrom('article_revisions')
    .select(['number', 'snapshot'])
    .where('article_id', '=', input.articleId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && last.snapshot === snapshot) return last.number;
  const number = (last?.number ?? 0) + 1;
  await trx
    .insertInto('article_revisions')
    .values({
      article_id: input.articleId,
      number,
      user_id: input.actor.userId,
      actor_name: input.actor.name,
      note: input.note,
      snapshot,
      created_at: (input.now ?? new Date()).toISOString(),
    })
    .execute();
  return number;
}

/** Revisions of an article, newest first. */
export async function listRevisions(db: Executor, articleId: number): Promise<Revision[]> {
  const rows = await db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).orderBy('number', 'desc').execute();
  return rows.map(toRevision);
}

export async function findRevision(db: Executor, articleId: number, number: number): Promise<Revision | undefined> {
  const row = await db
    .selectFrom('article_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? toRevision(row) : undefined;
}
