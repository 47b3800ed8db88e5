import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { DialectName } from '../db/dialect.js';
import type { SiteSettings } from '../settings/settings.service.js';

/** What every handler can reach through `app.gazette`. */
export interface Gazette {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  /** Current site settings (cached briefly; refreshed after a change). */
  settings(): Promise<SiteSettings>;
  invalidateSettings(): void;
  mediaRoot: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    gazette: Gazette;
  }
}
