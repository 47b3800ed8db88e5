import { createHash, randomBytes } from 'node:crypto';
import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { isRole } from './user.service.js';
import type { Actor } from './user.table.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const PREFIX = 'gz_';

/** Creates an API token; the token itself is returned once and only its hash is kept. */
export async function createToken(
  trx: Executor,
  input: { name: string; role: string; userId?: number },
): Promise<{ id: number; token: string }> {
  const name = input.name.trim();
  if (!name || name.length > 80) throw invalid('Give the token a name of 1 to 80 characters.', 'name');
  if (!isRole(input.role)) throw invalid('The role must be one of: admin, editor, writer, moderator.', 'role');
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await trx
    .insertInto('api_tokens')
    .values({
      name,
      role: input.role,
      token_hash: sha256(token),
      user_id: input.userId ?? null,
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** The actor behind a bearer token, or undefined when it is unknown or revoked. */
export async function tokenActor(db: Executor, token: string): Promise<Actor | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.role',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'api_tokens.user_id',
      'users.person_id',
      'users.active',
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  if (row.user_id !== null && !row.active) return undefined;
  await touchToken(db, row.id, row.last_used_at);
  return { kind: 'token', userId: row.user_id, name: row.name, role: row.role, personId: row.person_id ?? null, tokenId: row.id };
}

// "Last used" is kept to the minute: a write per API call would cost more than it tells.
const TOUCH_MS = 60_000;

async function touchToken(db: Executor, id: number, lastUsed: string | null, now = new Date()): Promise<void> {
  if (lastUsed && now.getTime() - Date.parse(lastUsed) < TOUCH_MS) return;
  await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Revokes a live token; its owner (null: none), or undefined when there is no such live token. */
export async function revokeToken(db: Executor, id: number): Promise<{ userId: number | null } | undefined> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row && { userId: row.user_id };
}

/** Revokes every live token a user owns (when they stop being an administrator); returns how many. */
export async function revokeUserTokens(db: Executor, userId: number): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface TokenListRow {
  id: number;
  name: string;
  role: string;
  owner: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Every token, live ones first, newest first. */
export async function listTokens(db: Executor): Promise<TokenListRow[]> {
  return db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.role',
      'users.name as owner',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
    ])
    .orderBy((eb) => eb.case().when('api_tokens.revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('api_tokens.id', 'desc')
    .execute();
}
