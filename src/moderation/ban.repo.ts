import type { Selectable } from 'kysely';
import type { CommentBanTable } from '../comments/comment.table.js';
import type { Executor } from '../events.js';

export const BAN_STATES = ['active', 'ended'] as const;
/** `active`: in force now; `ended`: lifted or past their end (the history). */
export type BanState = (typeof BAN_STATES)[number];
export const isBanState = (v: unknown): v is BanState => typeof v === 'string' && (BAN_STATES as readonly string[]).includes(v);

/** A ban as staff see it: the hashes joined back to the commenter they came from, where still known. */
export type BanView = Selectable<CommentBanTable> & { commenter_name: string | null; commenter_email: string | null };

function bansQuery(db: Executor) {
  return db
    .selectFrom('comment_bans')
    .leftJoin('commenters', 'commenters.id', 'comment_bans.commenter_id')
    .select([
      'comment_bans.id',
      'comment_bans.kind',
      'comment_bans.value_hash',
      'comment_bans.reason',
      'comment_bans.created_at',
      'comment_bans.expires_at',
      'comment_bans.created_by_user_id',
      'comment_bans.created_by_name',
      'comment_bans.commenter_id',
      'commenters.name as commenter_name',
      'commenters.email as commenter_email',
      'comment_bans.comment_id',
      'comment_bans.lifted_at',
      'comment_bans.lifted_by_user_id',
      'comment_bans.lifted_by_name',
      'comment_bans.lift_reason',
    ]);
}

/** Bans in force at `now` (newest first), or the ended ones (most recently ended first). */
export async function listBans(db: Executor, opts: { state: BanState; now: string; offset: number; limit: number }): Promise<BanView[]> {
  let q = bansQuery(db);
  if (opts.state === 'active') {
    q = q
      .where('comment_bans.lifted_at', 'is', null)
      .where((eb) => eb.or([eb('comment_bans.expires_at', 'is', null), eb('comment_bans.expires_at', '>', opts.now)]))
      .orderBy('comment_bans.created_at', 'desc');
  } else {
    q = q
      .where((eb) => eb.or([eb('comment_bans.lifted_at', 'is not', null), eb('comment_bans.expires_at', '<=', opts.now)]))
      .orderBy((eb) => eb.fn.coalesce('comment_bans.lifted_at', 'comment_bans.expires_at'), 'desc');
  }
  return (await q.orderBy('comment_bans.id', 'desc').limit(opts.limit).offset(opts.offset).execute()) as BanView[];
}

export async function countBans(db: Executor, state: BanState, now: string): Promise<number> {
  let q = db.selectFrom('comment_bans').select((eb) => eb.fn.countAll().as('n'));
  q =
    state === 'active'
      ? q.where('lifted_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      : q.where((eb) => eb.or([eb('lifted_at', 'is not', null), eb('expires_at', '<=', now)]));
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findBans(db: Executor, ids: number[]): Promise<BanView[]> {
  if (ids.length === 0) return [];
  return (await bansQuery(db).where('comment_bans.id', 'in', ids).orderBy('comment_bans.id').execute()) as BanView[];
}

/** Whether a ban is in force at `now`. */
export const isActive = (b: Pick<BanView, 'lifted_at' | 'expires_at'>, now: string) =>
  !b.lifted_at && (!b.expires_at || b.expires_at > now);
