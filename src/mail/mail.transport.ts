import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { loadMailSettings, type MailSettings } from './mail.settings.js';
import { redactSmtpUrl } from './mail.url.js';

/** One email: a plain-text part always, an HTML part when given, extra headers (List-Unsubscribe…). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** The sender; absent: the configured from address. */
  from?: string;
}

/** What the mail server said: the addresses it took and those it refused. */
export interface MailResult {
  accepted: string[];
  rejected: string[];
  messageId: string;
  response: string;
}

/**
 * A failed hand-over. `permanent` when the server answered 5xx (sending again will not help);
 * `recipientRefused` when it was the address that was refused (a 5xx there marks the subscriber
 * bounced); anything else (4xx, a timeout, a refused connection) is temporary and worth a retry.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly recipientRefused: boolean,
    readonly responseCode?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** Turns whatever nodemailer threw into a MailError, with the password never in the message. */
export function classifyMailError(error: unknown, smtpUrl?: string): MailError {
  const e = (error ?? {}) as { message?: string; responseCode?: number; code?: string; rejectedErrors?: unknown[] };
  const inner = (e.rejectedErrors?.[0] ?? {}) as { responseCode?: number };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : inner.responseCode;
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
  const recipientRefused = e.code === 'EENVELOPE' && permanent;
  let message = String(e.message ?? error);
  const password = smtpUrl ? safePassword(smtpUrl) : '';
  if (password) message = message.split(password).join('****');
  return new MailError(message.slice(0, 500), permanent, recipientRefused, responseCode, e.code);
}

function safePassword(url: string): string {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : '';
  } catch {
    return '';
  }
}

/** A pooled connection to one mail server, rate-limited to the settings' messages per second. */
export class Mailer {
  private readonly transport: Transporter;
  constructor(readonly settings: MailSettings & { smtpUrl: string }) {
    this.transport = nodemailer.createTransport({
      url: settings.smtpUrl,
      pool: true,
      maxConnections: 5,
      maxMessages: 500,
      rateDelta: 1000,
      rateLimit: Math.max(1, settings.ratePerSecond),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      logger: false,
      debug: false,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    // A pool reports connection errors on the transport too; each send reports its own.
    this.transport.on('error', () => undefined);
  }

  /** Where mail goes, without the password. */
  get describe(): string {
    return redactSmtpUrl(this.settings.smtpUrl);
  }

  /** Hands one message to the server; refusals and failures come back as a MailError. */
  async send(message: MailMessage): Promise<MailResult> {
    const from = message.from ?? this.settings.from;
    if (!from) throw new MailError('No sender address is set (GAZETTE_MAIL_FROM or the newsroom’s mail settings).', true, false);
    try {
      const info = await this.transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      const addresses = (list: unknown): string[] =>
        Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? ''))) : [];
      return {
        accepted: addresses(info.accepted),
        rejected: addresses(info.rejected),
        messageId: String(info.messageId ?? ''),
        response: String(info.response ?? ''),
      };
    } catch (error) {
      throw classifyMailError(error, this.settings.smtpUrl);
    }
  }

  /** Checks that the server answers and accepts the credentials. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw classifyMailError(error, this.settings.smtpUrl);
    }
  }

  close(): void {
    this.transport.close();
  }
}

const pools = new Map<string, Mailer>();
const poolKey = (s: MailSettings) => JSON.stringify([s.smtpUrl, s.from, s.ratePerSecond]);

/**
 * The mailer for the settings in force (the newsroom's, else the environment's), one pool per
 * distinct setting so a change in the newsroom takes effect at the next message. Throws
 * `mail_not_configured` when no mail server is set.
 */
export async function mailerFor(db: Executor | Kysely<Database>, config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Promise<Mailer> {
  const settings = await loadMailSettings(db, config);
  if (!settings.smtpUrl) throw new AppError('mail_not_configured');
  const key = poolKey(settings);
  let mailer = pools.get(key);
  if (!mailer) {
    // Settings changed: the old pools are no longer wanted.
    for (const [k, old] of pools) {
      old.close();
      pools.delete(k);
    }
    mailer = new Mailer({ ...settings, smtpUrl: settings.smtpUrl });
    pools.set(key, mailer);
  }
  return mailer;
}

/** Sends one message through the mailer of the settings in force (see mailerFor). */
export async function sendMail(
  db: Executor | Kysely<Database>,
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  message: MailMessage,
): Promise<MailResult> {
  return (await mailerFor(db, config)).send(message);
}

/** Closes every pooled connection (at shutdown and between tests). */
export function closeMailers(): void {
  for (const mailer of pools.values()) mailer.close();
  pools.clear();
}
