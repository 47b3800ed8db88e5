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
      'api_tokens.user_id',
      'users.person_id',
      'users.active',
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  if (row.user_id !== null && !row.active) return undefined;
  return { kind: 'token', userId: row.user_id, name: row.name, role: row.role, personId: row.person_id ?? null, tokenId: row.id };
}

export async function revokeToken(db: Executor, id: number): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).execute();
}
