import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { checkFrom } from './mail.address.js';
import { loadStoredMailSettings, MAX_RATE, type StoredMailSettings, saveMailSettings } from './mail.settings.js';
import { keepPassword, parseSmtpUrl } from './mail.url.js';

/** The mail settings form as typed. */
export interface MailSettingsInput {
  smtp_url: string;
  from: string;
  rate: string;
}

/** Checks and saves the newsroom's mail settings; `****` in the URL keeps the saved password. */
export async function updateMailSettings(trx: Executor, input: MailSettingsInput): Promise<StoredMailSettings> {
  const saved = await loadStoredMailSettings(trx);
  const typedUrl = input.smtp_url.trim();
  const smtpUrl = typedUrl ? keepPassword(typedUrl, saved.smtpUrl) : '';
  if (smtpUrl) parseSmtpUrl(smtpUrl, 'smtp_url');
  const from = checkFrom(input.from, 'from');
  const rate = input.rate.trim() === '' ? NaN : Number(input.rate);
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE) {
    throw new AppError('invalid', `Give the rate as a whole number of messages per second from 1 to ${MAX_RATE}.`, 'rate');
  }
  const settings = { smtpUrl, from, ratePerSecond: rate };
  await saveMailSettings(trx, settings);
  return settings;
}
