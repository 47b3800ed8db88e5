import type { Migration } from 'kysely';
import * as foundation from './2026_11_30_0300_foundation.js';

/** Every migration, by its date-prefixed name. Append new ones; never edit a merged one. */
export const migrations: Record<string, Migration> = {
  '2026_11_30_0300_foundation': foundation,
};
