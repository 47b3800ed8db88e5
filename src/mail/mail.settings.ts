import type { Config } from '../config.js';
import { type Executor, recordEvent } from '../events.js';

/** The settings row that keeps the newsroom's mail settings (apart from the site settings, which pages read). */
const KEY = 'mail';

/** Messages handed to the mail server per second, unless the newsroom sets another rate. */
export const DEFAULT_RATE = 10;
export const MAX_RATE = 1000;

/** What the newsroom saved; an empty string means "use the environment". */
export interface StoredMailSettings {
  smtpUrl: string;
  from: string;
  ratePerSecond: number;
}

/** The settings in force: the newsroom's where set, else GAZETTE_SMTP_URL and GAZETTE_MAIL_FROM. */
export interface MailSettings {
  /** Undefined: mail is not configured (nothing can be sent, which the newsroom shows). */
  smtpUrl?: string;
  from?: string;
  ratePerSecond: number;
  /** Where the SMTP URL came from. */
  source: 'newsroom' | 'environment' | 'none';
}

export async function loadStoredMailSettings(db: Executor): Promise<StoredMailSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  let stored: Partial<StoredMailSettings> = {};
  try {
    stored = row ? (JSON.parse(row.value) as Partial<StoredMailSettings>) : {};
  } catch {
    stored = {};
  }
  return {
    smtpUrl: typeof stored.smtpUrl === 'string' ? stored.smtpUrl : '',
    from: typeof stored.from === 'string' ? stored.from : '',
    ratePerSecond: Number.isInteger(stored.ratePerSecond) ? Number(stored.ratePerSecond) : DEFAULT_RATE,
  };
}

export async function loadMailSettings(db: Executor, config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Promise<MailSettings> {
  const stored = await loadStoredMailSettings(db);
  const smtpUrl = stored.smtpUrl || config.smtpUrl || undefined;
  return {
    smtpUrl,
    from: stored.from || config.mailFrom || undefined,
    ratePerSecond: stored.ratePerSecond,
    source: stored.smtpUrl ? 'newsroom' : config.smtpUrl ? 'environment' : 'none',
  };
}

/** Saves the newsroom's mail settings (already checked by mail.service.ts) with their event. */
export async function saveMailSettings(trx: Executor, settings: StoredMailSettings): Promise<void> {
  const value = JSON.stringify(settings);
  await trx
    .insertInto('settings')
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  // Not `settings.changed`: no reader page shows these, so the page cache keeps its pages.
  await recordEvent(trx, 'newsletter.changed', null, { mail: true });
}
