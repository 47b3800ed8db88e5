import { type Insertable, sql } from 'kysely';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { adjustCommenterCounts } from './comment.repo.js';
import type { CommentStatus, CommentTable } from './comment.table.js';
import { bodyHash, COMMENT_MAX, EMAIL_MAX, NAME_MAX, normalizeText } from './comment.text.js';

/** A comment brought in from another platform, as the importer hands it over. */
export interface ImportedCommentInput {
  name: string;
  email?: string;
  /** HTML or plain text as the old platform stored it; kept as plain text. */
  body: string;
  status: 'approved' | 'pending' | 'spam' | 'rejected';
  /** ISO UTC. */
  createdAt: string;
}

/** Where an imported comment sits: the thread it replies in (none: a top-level comment). */
export interface CommentPlace {
  id: number;
  root_id: number | null;
  depth: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Comments are plain text in Gazette: an imported comment's HTML becomes its text, paragraphs kept. */
export function commentText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|blockquote|li)>/gi, '\n\n')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\n{3,}/g, '\n\n');
  return [...normalizeText(text)].slice(0, COMMENT_MAX).join('');
}

const clip = (s: string, n: number) => [...s.trim()].slice(0, n).join('');

/** One comment of an article's import, in thread order: its parent is earlier in the list or already stored. */
export interface CommentToStore {
  key: string;
  /** The key of an earlier item of the list this one replies to. */
  parentKey?: string;
  /** …or the id of a comment stored by an earlier import. */
  parentId?: number;
  /** The id of this comment from an earlier import: brought up to date instead of added. */
  existingId?: number;
  comment: ImportedCommentInput;
}

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound parameters. */
const INSERT_ROWS = 200;

const isBad = (s: CommentStatus) => Number(s === 'rejected' || s === 'spam');

/**
 * Stores an article's imported comments (or, for those with `existingId`, brings an earlier import
 * of them up to date) in the caller's transaction, with their threads, statuses and original
 * dates. No policy pipeline runs: the old site's moderators already decided. New comments are
 * written a few hundred per insert; commenters (with their counts) and the threads' roots are
 * settled once for the article.
 * Returns each key's comment id, or undefined for one with nothing left to show (an empty body).
 */
export async function storeImportedComments(
  trx: Executor,
  input: {
    articleId: number;
    items: CommentToStore[];
    now: string;
  },
): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  const places = new Map<string, CommentPlace>();
  const bodies = input.items.map((item) => commentText(item.comment.body));
  const commenters = await commentersOf(trx, input.items, bodies, input.now);
  const counts = new Map<number, [number, number]>();
  const count = (commenterId: number | null, approved: number, rejected: number) => {
    if (commenterId === null) return;
    const c = counts.get(commenterId) ?? [0, 0];
    counts.set(commenterId, [c[0] + approved, c[1] + rejected]);
  };
  let newRoots = false;
  // New comments wait here and are written a few hundred per statement, in thread order.
  let pending: { key: string; parent?: CommentPlace; row: Insertable<CommentTable> }[] = [];
  const pendingKeys = new Set<string>();
  const flush = async () => {
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    pendingKeys.clear();
    const ids = (
      await trx
        .insertInto('comments')
        .values(rows.map((r) => r.row))
        .returning('id')
        .execute()
    ).map((r) => r.id);
    // One statement's rows get ascending ids in the order of its values (RETURNING's own order is not promised).
    ids.sort((a, b) => a - b);
    rows.forEach((r, i) => {
      const id = ids[i] as number;
      const p = r.parent;
      places.set(r.key, { id, root_id: p ? (p.root_id ?? p.id) : id, depth: p ? p.depth + 1 : 0 });
      out.set(r.key, id);
    });
  };
  for (const [i, item] of input.items.entries()) {
    const c = item.comment;
    const body = bodies[i] as string;
    if (!body) {
      out.set(item.key, undefined);
      continue;
    }
    const name = clip(c.name, NAME_MAX) || 'Anonymous';
    const status: CommentStatus = c.status;
    const moderatedAt = status === 'pending' ? null : c.createdAt;
    if (item.existingId !== undefined) {
      const before = await trx
        .selectFrom('comments')
        .select(['id', 'status', 'commenter_id', 'root_id', 'depth'])
        .where('id', '=', item.existingId)
        .executeTakeFirst();
      if (before) {
        await trx
          .updateTable('comments')
          .set({ name, body, body_hash: bodyHash(body), status, moderated_at: moderatedAt })
          .where('id', '=', before.id)
          .execute();
        count(
          before.commenter_id,
          Number(status === 'approved') - Number(before.status === 'approved'),
          isBad(status) - isBad(before.status),
        );
        places.set(item.key, { id: before.id, root_id: before.root_id, depth: before.depth });
        out.set(item.key, before.id);
        continue;
      }
    }
    const email = emailOf(c);
    const commenterId = (email ? commenters.get(email) : undefined) ?? null;
    // Imported before but deleted since: added again, and counted here (commentersOf counted only new ones).
    if (item.existingId !== undefined) count(commenterId, Number(status === 'approved'), isBad(status));
    // A reply to a comment still waiting in `pending` needs its id: write those first.
    if (item.parentKey && pendingKeys.has(item.parentKey)) await flush();
    const parent =
      (item.parentKey ? places.get(item.parentKey) : undefined) ??
      (item.parentId !== undefined ? await commentPlace(trx, item.parentId) : undefined);
    pending.push({
      key: item.key,
      parent,
      row: {
        article_id: input.articleId,
        parent_id: parent?.id ?? null,
        // A top-level comment is the root of its own thread: set for all of them below, in one go.
        root_id: parent ? (parent.root_id ?? parent.id) : null,
        depth: parent ? parent.depth + 1 : 0,
        commenter_id: commenterId,
        name,
        body,
        body_hash: bodyHash(body),
        status,
        reasons: JSON.stringify(status === 'pending' ? ['imported: awaiting moderation'] : []),
        spam_score: null,
        trained_as: null,
        ip_hash: null,
        source: 'api',
        open_reports: 0,
        reject_reason: status === 'rejected' || status === 'spam' ? `imported as ${status}` : null,
        created_at: c.createdAt,
        moderated_at: moderatedAt,
      },
    });
    pendingKeys.add(item.key);
    if (pending.length >= INSERT_ROWS) await flush();
    if (!parent) newRoots = true;
  }
  await flush();
  if (newRoots) {
    await trx
      .updateTable('comments')
      .set((eb) => ({ root_id: eb.ref('id') }))
      .where('article_id', '=', input.articleId)
      .where('parent_id', 'is', null)
      .where('root_id', 'is', null)
      .execute();
  }
  for (const [commenterId, [approved, rejected]] of [...counts].sort((a, b) => a[0] - b[0])) {
    await adjustCommenterCounts(trx, commenterId, approved, rejected);
  }
  return out;
}

const emailOf = (c: ImportedCommentInput) => {
  const email = c.email ? clip(c.email.toLowerCase(), EMAIL_MAX) : '';
  return email.includes('@') ? email : undefined;
};

/**
 * The commenters of an article's new comments, written (or brought up to date) in one statement
 * per few hundred, their approved and rejected counts raised by these comments at the same time.
 * A comment imported before is not counted again here (its change is counted where it is updated).
 */
async function commentersOf(trx: Executor, items: CommentToStore[], bodies: string[], now: string): Promise<Map<string, number>> {
  const wanted = new Map<string, { name: string; approved: number; rejected: number }>();
  for (const [i, item] of items.entries()) {
    const email = emailOf(item.comment);
    if (!email || !bodies[i]) continue;
    const row = wanted.get(email) ?? { name: '', approved: 0, rejected: 0 };
    row.name = clip(item.comment.name, NAME_MAX) || 'Anonymous';
    if (item.existingId === undefined) {
      row.approved += Number(item.comment.status === 'approved');
      row.rejected += isBad(item.comment.status);
    }
    wanted.set(email, row);
  }
  const ids = new Map<string, number>();
  // In one order (by email), so that two transactions never wait on each other's rows.
  const rows = [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const chunk = rows.slice(i, i + INSERT_ROWS);
    const stored = await trx
      .insertInto('commenters')
      .values(
        chunk.map(([email, r]) => ({
          email,
          name: r.name,
          approved_count: r.approved,
          rejected_count: r.rejected,
          created_at: now,
          last_seen_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          last_seen_at: (eb) => eb.ref('excluded.last_seen_at'),
          approved_count: sql`commenters.approved_count + excluded.approved_count`,
          rejected_count: sql`commenters.rejected_count + excluded.rejected_count`,
        }),
      )
      .returning(['id', 'email'])
      .execute();
    for (const r of stored) ids.set(r.email, r.id);
  }
  return ids;
}

/** An imported comment's place, to thread its replies under it. */
export async function commentPlace(db: Executor, id: number): Promise<CommentPlace | undefined> {
  return db.selectFrom('comments').select(['id', 'root_id', 'depth']).where('id', '=', id).executeTakeFirst();
}

/**
 * After an article's comments were imported: one event for the page showing them (its cache drops
 * the comments) and one for the moderation desk when some wait there.
 */
export async function recordImportedComments(
  trx: Executor,
  input: { articleId: number; url: string; lastApproved?: number; lastPending?: number; count: number },
): Promise<void> {
  if (input.lastApproved !== undefined)
    await recordEvent(trx, 'comment.approved', input.lastApproved, { articleId: input.articleId, url: input.url, imported: input.count });
  if (input.lastPending !== undefined)
    await recordEvent(trx, 'comment.submitted', input.lastPending, {
      articleId: input.articleId,
      url: input.url,
      status: 'pending',
      imported: input.count,
    });
}
