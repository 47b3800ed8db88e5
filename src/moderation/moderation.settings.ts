import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { type SiteSettings, saveSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { writeLog } from './moderation.repo.js';

export type CommentSettingKey =
  | 'commentsMaxLinks'
  | 'commentsAutoCloseDays'
  | 'commentsAutoApprove'
  | 'commentsRateSeconds'
  | 'commentsRatePerHour'
  | 'commentsMinFillSeconds';

/** Each number on the settings page: its label, help and allowed range. */
export const NUMBER_FIELDS: { key: CommentSettingKey; label: string; help: string; min: number; max: number }[] = [
  { key: 'commentsMaxLinks', label: 'Link limit', help: 'Comments with more links are held for a moderator.', min: 0, max: 100 },
  {
    key: 'commentsAutoCloseDays',
    label: 'Close comments after (days)',
    help: 'Days after publication; 0 keeps them open.',
    min: 0,
    max: 36500,
  },
  {
    key: 'commentsAutoApprove',
    label: 'Auto-approve after (approved comments)',
    help: 'Publish at once for commenters with this many approved comments and no rejection; 0 turns it off.',
    min: 0,
    max: 10000,
  },
  { key: 'commentsRateSeconds', label: 'Seconds between comments', help: 'Per address and per email; 0 turns it off.', min: 0, max: 3600 },
  { key: 'commentsRatePerHour', label: 'Comments per hour', help: 'Per address and per email; 0 turns it off.', min: 0, max: 10000 },
  {
    key: 'commentsMinFillSeconds',
    label: 'Minimum fill-in time (seconds)',
    help: 'Forms sent faster are treated as bots.',
    min: 0,
    max: 600,
  },
];

export interface CommentSettingsForm {
  banned: string;
  suspect: string;
  numbers: Record<CommentSettingKey, string>;
}

/** One word or phrase per line (or comma), trimmed, lower-cased, without duplicates. */
export function parseWordList(text: string): string[] {
  const words = text
    .split(/[\n,]/)
    .map((w) => w.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' '))
    .filter((w) => w.length > 0 && w.length <= 100);
  return [...new Set(words)].slice(0, 5000);
}

/** Checks the form; throws a 422 naming the field at fault. */
export function parseSettingsForm(form: CommentSettingsForm): { banned: string[]; suspect: string[]; numbers: Partial<SiteSettings> } {
  const numbers: Partial<SiteSettings> = {};
  for (const f of NUMBER_FIELDS) {
    const raw = form.numbers[f.key].trim();
    const n = Number(raw);
    if (!/^\d{1,6}$/.test(raw) || n < f.min || n > f.max) {
      throw new AppError('invalid', `${f.label}: enter a whole number from ${f.min} to ${f.max}.`, f.key);
    }
    numbers[f.key] = n;
  }
  return { banned: parseWordList(form.banned), suspect: parseWordList(form.suspect), numbers };
}

export async function saveCommentSettings(db: Kysely<Database>, form: CommentSettingsForm, actor: Actor): Promise<void> {
  const parsed = parseSettingsForm(form);
  await db.transaction().execute(async (trx) => {
    for (const kind of ['banned', 'suspect'] as const) {
      await trx.deleteFrom('comment_words').where('kind', '=', kind).execute();
      const words = parsed[kind];
      for (let i = 0; i < words.length; i += 500) {
        await trx
          .insertInto('comment_words')
          .values(words.slice(i, i + 500).map((word) => ({ kind, word })))
          .execute();
      }
    }
    await saveSettings(trx, parsed.numbers);
    await writeLog(trx, actor, 'settings', null, `${parsed.banned.length} banned, ${parsed.suspect.length} suspect words`);
  });
}
