import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export type { ParsedMail };

/** One message as the sink received it: the envelope and the parsed message. */
export interface SinkMessage extends ParsedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

export interface SmtpSinkOptions {
  /** Recipients (lowercase) answered with this SMTP code at RCPT TO, e.g. { 'gone@example.test': 550 }. */
  rejectRecipients?: Record<string, number>;
  /** Require this user and password (AUTH PLAIN/LOGIN). */
  auth?: { user: string; pass: string };
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT` (with user:pass when auth was asked for). */
  url: string;
  port: number;
  /** Every message received so far, in order of arrival. */
  messages: SinkMessage[];
  /** Resolves with the messages once at least `n` have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  /** Forgets the messages received so far. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free loopback port that keeps every message it receives, parsed with
 * mailparser: tests send through Gazette's own transport and read what a mail server would get.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: Array<{ n: number; resolve: (m: SinkMessage[]) => void }> = [];
  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(messages.slice());
      }
    }
  };
  const reject = options.rejectRecipients ?? {};
  const serverOptions: SMTPServerOptions = {
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, callback) {
      const code = reject[address.address.toLowerCase()];
      if (code) {
        callback(Object.assign(new Error(`Recipient refused (${code})`), { responseCode: code }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const from = session.envelope.mailFrom;
            messages.push(
              Object.assign(parsed, {
                envelopeFrom: from ? from.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                raw: raw.toString('utf8'),
              }),
            );
            notify();
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const cred = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    url: `smtp://${cred}127.0.0.1:${port}`,
    port,
    messages,
    waitFor(n, timeoutMs = 30_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve, rejectWait) => {
        const waiter = {
          n,
          resolve: (m: SinkMessage[]) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          rejectWait(new Error(`SMTP sink: ${messages.length} of ${n} messages arrived`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A header of a received message as it was sent (unfolded), or undefined. mailparser turns some
 * headers into objects (`List-*` into `headers.get('list')`); this reads the line itself.
 */
export function rawHeader(message: ParsedMail, name: string): string | undefined {
  const key = name.toLowerCase();
  const line = message.headerLines.find((h) => h.key === key)?.line;
  return line === undefined
    ? undefined
    : line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
}
