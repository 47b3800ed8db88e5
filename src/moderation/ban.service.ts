import type { Kysely } from 'kysely';
import { hashEmail } from '../comments/comment.hash.js';
import type { BanKind, CommentRow } from '../comments/comment.table.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { writeLog } from './moderation.repo.js';

/** How long a ban lasts. Email bans default to no end; address bans always end (default a day). */
export const BAN_TERMS = ['never', '24h', '7d', '30d'] as const;
export type BanTerm = (typeof BAN_TERMS)[number];
export type AddressBanTerm = Exclude<BanTerm, 'never'>;
export const ADDRESS_BAN_TERMS: readonly AddressBanTerm[] = ['24h', '7d', '30d'];
export const TERM_LABELS: Record<BanTerm, string> = { never: 'no end', '24h': '24 hours', '7d': '7 days', '30d': '30 days' };
const TERM_MS: Record<AddressBanTerm, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** What a moderator chose when banning: the commenter (always) and, only when asked, their address. */
export interface BanChoice {
  emailFor: BanTerm;
  address: boolean;
  addressFor: AddressBanTerm;
}
export const DEFAULT_BAN: BanChoice = { emailFor: 'never', address: false, addressFor: '24h' };

export const isBanTerm = (v: unknown): v is BanTerm => typeof v === 'string' && (BAN_TERMS as readonly string[]).includes(v);
const isOn = (v: unknown) => v === true || v === 'on' || v === '1' || v === 'true';

/** The choice from form fields or JSON; unknown terms are a 422 naming the field. */
export function parseBanChoice(input: { emailFor?: unknown; address?: unknown; addressFor?: unknown }): BanChoice {
  const emailFor = input.emailFor === undefined || input.emailFor === '' ? DEFAULT_BAN.emailFor : input.emailFor;
  const addressFor = input.addressFor === undefined || input.addressFor === '' ? DEFAULT_BAN.addressFor : input.addressFor;
  if (!isBanTerm(emailFor)) throw new AppError('invalid', 'Choose how long the ban lasts: no end, 24 hours, 7 days or 30 days.', 'expires');
  if (!isBanTerm(addressFor) || addressFor === 'never') {
    throw new AppError('invalid', 'An address ban lasts 24 hours, 7 days or 30 days.', 'address_expires');
  }
  return { emailFor, address: isOn(input.address), addressFor };
}

/** A ban's reason: required, trimmed, at most 500 characters. */
export function banReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.normalize('NFC').trim().slice(0, 500) : '';
  if (!reason) throw new AppError('invalid', 'Give a reason for the ban.', 'reason');
  return reason;
}

const endOf = (term: BanTerm, now: Date) => (term === 'never' ? null : new Date(now.getTime() + TERM_MS[term]).toISOString());

/** "ban email, no end" / "ban address, until 2026-12-07 10:00 UTC": the log's words for a ban. */
export function banAction(verb: 'ban' | 'lift ban', kind: BanKind, expiresAt: string | null): string {
  const what = `${verb} ${kind === 'ip' ? 'address' : 'email'}`;
  if (verb !== 'ban') return what;
  return `${what}, ${expiresAt ? `until ${expiresAt.replace('T', ' ').slice(0, 16)} UTC` : 'no end'}`;
}

/** One ban row; an earlier ban in force on the same hash is lifted as replaced, so one record says what applies. */
async function addBan(
  trx: Executor,
  ban: { kind: BanKind; valueHash: string; expiresAt: string | null; comment: CommentRow; reason: string; actor: Actor; now: string },
): Promise<number> {
  await trx
    .updateTable('comment_bans')
    .set({ lifted_at: ban.now, lifted_by_user_id: ban.actor.userId, lifted_by_name: ban.actor.name, lift_reason: 'replaced by a new ban' })
    .where('value_hash', '=', ban.valueHash)
    .where('kind', '=', ban.kind)
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ban.now)]))
    .execute();
  const row = await trx
    .insertInto('comment_bans')
    .values({
      kind: ban.kind,
      value_hash: ban.valueHash,
      reason: ban.reason,
      created_at: ban.now,
      expires_at: ban.expiresAt,
      created_by_user_id: ban.actor.userId,
      created_by_name: ban.actor.name,
      commenter_id: ban.comment.commenter_id,
      comment_id: ban.comment.id,
      lifted_at: null,
      lifted_by_user_id: null,
      lifted_by_name: null,
      lift_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeLog(trx, ban.actor, banAction('ban', ban.kind, ban.expiresAt), ban.comment.id, ban.reason);
  return row.id;
}

/**
 * Bans the author of a comment: their email identity, and their client address only when the
 * moderator asked for it. Runs inside the caller's transaction; records `commenter.banned`.
 */
export async function banAuthor(
  trx: Executor,
  comment: CommentRow,
  input: { choice: BanChoice; reason: string; actor: Actor; secret: string; now?: Date },
): Promise<number[]> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const commenter = comment.commenter_id
    ? await trx.selectFrom('commenters').select('email').where('id', '=', comment.commenter_id).executeTakeFirst()
    : undefined;
  const common = { comment, reason: input.reason, actor: input.actor, now: at };
  const ids: number[] = [];
  if (commenter) {
    const valueHash = hashEmail(input.secret, commenter.email);
    ids.push(await addBan(trx, { ...common, kind: 'email', valueHash, expiresAt: endOf(input.choice.emailFor, now) }));
  }
  if (input.choice.address && comment.ip_hash) {
    ids.push(await addBan(trx, { ...common, kind: 'ip', valueHash: comment.ip_hash, expiresAt: endOf(input.choice.addressFor, now) }));
  }
  if (ids.length === 0) throw new AppError('invalid', 'Nothing is left to ban: this commenter’s details were erased.');
  await recordEvent(trx, 'commenter.banned', comment.commenter_id, { commentId: comment.id, banIds: ids });
  return ids;
}

/** Lifts a ban in force, with the log row and event, in one transaction. */
export async function liftBan(db: Kysely<Database>, input: { id: number; reason?: unknown; actor: Actor; now?: Date }): Promise<void> {
  const reason = typeof input.reason === 'string' ? input.reason.normalize('NFC').trim().slice(0, 500) : '';
  const now = (input.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    const ban = await trx.selectFrom('comment_bans').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!ban) throw new AppError('not_found', 'There is no such ban.');
    if (ban.lifted_at) throw new AppError('conflict', 'This ban was already lifted.');
    if (ban.expires_at && ban.expires_at <= now) throw new AppError('conflict', 'This ban has already ended.');
    const done = await trx
      .updateTable('comment_bans')
      .set({ lifted_at: now, lifted_by_user_id: input.actor.userId, lifted_by_name: input.actor.name, lift_reason: reason || null })
      .where('id', '=', ban.id)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    // Another moderator may have lifted it in the meantime.
    if (Number(done.numUpdatedRows) === 0) throw new AppError('conflict', 'This ban was already lifted.');
    await writeLog(trx, input.actor, banAction('lift ban', ban.kind, null), ban.comment_id, reason);
    await recordEvent(trx, 'commenter.unbanned', ban.commenter_id, { banId: ban.id, kind: ban.kind });
  });
}
