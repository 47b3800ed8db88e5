import type { Migration } from 'kysely';
import * as foundation from './2026_11_30_0300_foundation.js';
import * as users from './2026_11_30_0400_users.js';

/** Every migration, by its date-prefixed name. Append new ones; never edit a merged one. */
export const migrations: Record<string, Migration> = {
  '2026_11_30_0300_foundation': foundation,
  '2026_11_30_0400_users': users,
};
