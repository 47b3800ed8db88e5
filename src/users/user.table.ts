import type { Generated, Selectable } from 'kysely';

export const ROLES = ['admin', 'editor', 'writer', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  /** argon2id */
  password_hash: string;
  /** The byline this account writes under, if any. */
  person_id: number | null;
  active: number;
  created_at: string;
  last_login_at: string | null;
}

export interface SessionTable {
  /** sha256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  role: Role;
  token_hash: string;
  user_id: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** One-time password-reset links: only the SHA-256 of the secret is kept. */
export interface PasswordResetTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  /** The administrator who issued it; null from the command line. */
  created_by: number | null;
  created_at: string;
  expires_at: string;
  /** Set when the link was used (or replaced by a newer one): it never works again. */
  used_at: string | null;
}

export type UserRow = Selectable<UserTable>;

/** Who is acting: a logged-in staff member or an API token. */
export interface Actor {
  kind: 'session' | 'token';
  /** The user id (sessions; tokens created for a user). */
  userId: number | null;
  name: string;
  role: Role;
  personId: number | null;
  /** Session id (hash), for CSRF tokens. */
  sessionId?: string;
  /** The API token's id (tokens), so what a token created stays its own. */
  tokenId?: number;
}
