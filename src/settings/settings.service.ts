import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';

/** Site settings with their defaults. Other features add their keys here. */
export interface SiteSettings {
  siteName: string;
  siteDescription: string;
  /** Public origin used in canonical URLs and feeds, e.g. https://news.example.org; empty: taken from the request. */
  siteUrl: string;
  locale: string;
  timeZone: string;
  wordsPerMinute: number;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteName: 'The Gazette',
  siteDescription: 'Independent news from Harbor City and the world.',
  siteUrl: '',
  locale: 'en-US',
  timeZone: 'UTC',
  wordsPerMinute: 200,
};

export async function loadSettings(db: Executor): Promise<SiteSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if (row.key in DEFAULT_SETTINGS) settings[row.key] = JSON.parse(row.value);
  }
  return settings as unknown as SiteSettings;
}

export async function saveSettings(trx: Executor, changes: Partial<SiteSettings>): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in DEFAULT_SETTINGS) || value === undefined) continue;
    const json = JSON.stringify(value);
    await trx
      .insertInto('settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  }
  await recordEvent(trx, 'settings.changed', null, { keys: Object.keys(changes) });
}
