import { createHash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { endUserSessions } from './session.service.js';
import { newPasswordHash } from './user.service.js';
import type { Actor } from './user.table.js';

export const RESET_TTL_MS = 60 * 60 * 1000;
/** 32 random bytes in base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const resetPath = (token: string) => `/admin/reset/${token}`;

/** The absolute link: the site's public address when set, else the given origin. */
export function resetLink(token: string, siteUrl: string, fallbackOrigin: string): string {
  const base = (siteUrl.trim() || fallbackOrigin).replace(/\/+$/, '');
  return `${base}${resetPath(token)}`;
}

/**
 * Issues a one-time reset link for an active account: valid for an hour, only its hash kept. Any
 * earlier unused link of the account stops working, so only the newest one is ever live.
 */
export async function issueReset(
  trx: Executor,
  input: { userId: number; by: Actor | null; now?: Date },
): Promise<{ token: string; email: string; expiresAt: string }> {
  const now = input.now ?? new Date();
  const user = await trx.selectFrom('users').select(['id', 'email', 'active']).where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw notFound('No such user.');
  if (!user.active)
    throw new AppError('inactive', 'This account is deactivated: reactivate it before issuing a reset link.', undefined, 409);
  await trx
    .updateTable('password_resets')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', user.id)
    .where('used_at', 'is', null)
    .execute();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS).toISOString();
  await trx
    .insertInto('password_resets')
    .values({
      user_id: user.id,
      token_hash: sha256(token),
      created_by: input.by?.userId ?? null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  await recordEvent(trx, 'user.changed', user.id, { by: input.by?.name ?? 'command line', reset_link: 'issued' });
  return { token, email: user.email, expiresAt };
}

/** The live reset behind a link, or a 4xx that says why it does not work. */
export async function findLiveReset(db: Executor, token: string, now = new Date()): Promise<{ id: number; userId: number; email: string }> {
  const row = TOKEN_SHAPE.test(token)
    ? await db
        .selectFrom('password_resets')
        .innerJoin('users', 'users.id', 'password_resets.user_id')
        .select([
          'password_resets.id',
          'password_resets.user_id',
          'password_resets.expires_at',
          'password_resets.used_at',
          'users.email',
          'users.active',
        ])
        .where('password_resets.token_hash', '=', sha256(token))
        .executeTakeFirst()
    : undefined;
  const again = 'Ask an administrator for a new link.';
  if (!row) throw new AppError('reset_unknown', `This password-reset link is not valid. ${again}`);
  if (row.used_at) throw new AppError('reset_used', `This password-reset link has already been used. ${again}`);
  if (row.expires_at <= now.toISOString())
    throw new AppError('reset_expired', `This password-reset link has expired: links work for one hour. ${again}`);
  if (!row.active) throw new AppError('inactive', 'This account has been deactivated. Ask an administrator.');
  return { id: row.id, userId: row.user_id, email: row.email };
}

/**
 * Sets a new password through a reset link: the link is spent (the first of two racing uses wins),
 * and every session of the account ends.
 */
export async function redeemReset(trx: Executor, input: { token: string; password: string; confirm: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const reset = await findLiveReset(trx, input.token, now);
  const passwordHash = await newPasswordHash(input.password, input.confirm);
  const spent = await trx
    .updateTable('password_resets')
    .set({ used_at: now.toISOString() })
    .where('id', '=', reset.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new AppError('reset_used', 'This password-reset link has already been used.');
  await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', reset.userId).execute();
  await endUserSessions(trx, reset.userId);
  await recordEvent(trx, 'user.changed', reset.userId, { by: 'reset link', changed: ['password'], sessions: 'all ended' });
}

/** The account with this email, for the command line. */
export async function findUserIdByEmail(db: Executor, email: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row?.id;
}
