import { AppError } from '../errors.js';

/** The parts of an SMTP URL that may be shown: scheme, user, host and port, never the password. */
export interface SmtpUrlView {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  hasPassword: boolean;
}

/** Parses `smtp://user:pass@host:port` or `smtps://…`; a 422 on `field` otherwise. */
export function parseSmtpUrl(raw: string, field = 'smtp_url'): SmtpUrlView {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('invalid', 'Give the mail server as smtp://user:password@host:587 or smtps://user:password@host:465.', field);
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname || raw.length > 1000) {
    throw new AppError('invalid', 'The mail server address must start with smtp:// or smtps:// and name a host.', field);
  }
  const secure = url.protocol === 'smtps:';
  return {
    secure,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    user: decodeURIComponent(url.username),
    hasPassword: url.password !== '',
  };
}

/** The URL with its password replaced by `****`, for pages and logs. */
export function redactSmtpUrl(raw: string | undefined): string {
  if (!raw) return '';
  try {
    const url = new URL(raw);
    if (url.password) url.password = '****';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(not a valid address)';
  }
}

/**
 * A URL typed in the newsroom form where the password was left as `****` (the form never shows it):
 * the saved password is kept.
 */
export function keepPassword(typed: string, saved: string): string {
  try {
    const url = new URL(typed.trim());
    if (url.password !== '****' || !saved) return typed.trim();
    const old = new URL(saved);
    if (old.username !== url.username || old.host !== url.host) return typed.trim();
    url.password = old.password;
    return url.toString().replace(/\/$/, '');
  } catch {
    return typed.trim();
  }
}
