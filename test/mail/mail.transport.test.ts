import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailError, Mailer } from '../../src/mail/mail.transport.js';
import { keepPassword, parseSmtpUrl, redactSmtpUrl } from '../../src/mail/mail.url.js';
import { rawHeader, type SmtpSink, startSmtpSink } from '../helpers/smtp.js';

describe('mail transport (a real SMTP server)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: { 'gone@example.test': 550, 'full@example.test': 452 } });
  });
  afterAll(async () => {
    await sink.close();
  });

  const mailer = () => new Mailer({ smtpUrl: sink.url, from: 'The Gazette <news@example.test>', ratePerSecond: 50, source: 'environment' });

  it('hands a message with text, HTML and headers to the server', async () => {
    const m = mailer();
    const result = await m.send({
      to: 'reader@example.test',
      subject: 'Hello',
      text: 'Plain words',
      html: '<p>Rich words</p>',
      headers: { 'List-Unsubscribe': '<https://news.example.test/u>' },
    });
    m.close();
    expect(result.accepted).toEqual(['reader@example.test']);
    expect(result.rejected).toEqual([]);
    const [msg] = await sink.waitFor(1);
    expect(msg.subject).toBe('Hello');
    expect(msg.text?.trim()).toBe('Plain words');
    expect(msg.html).toContain('<p>Rich words</p>');
    expect(rawHeader(msg, 'List-Unsubscribe')).toBe('<https://news.example.test/u>');
    expect(msg.from?.value[0].address).toBe('news@example.test');
    expect(msg.envelopeTo).toEqual(['reader@example.test']);
  });

  it('classifies a 5xx refusal of the address as permanent and a 4xx as temporary', async () => {
    const m = mailer();
    const gone = await m.send({ to: 'gone@example.test', subject: 's', text: 't' }).catch((e) => e);
    const full = await m.send({ to: 'full@example.test', subject: 's', text: 't' }).catch((e) => e);
    m.close();
    expect(gone).toBeInstanceOf(MailError);
    expect(gone.permanent).toBe(true);
    expect(gone.recipientRefused).toBe(true);
    expect(gone.responseCode).toBe(550);
    expect(full).toBeInstanceOf(MailError);
    expect(full.permanent).toBe(false);
  });

  it('a server that is not there is a temporary failure', async () => {
    const closed = await startSmtpSink();
    await closed.close();
    const m = new Mailer({ smtpUrl: closed.url, from: 'news@example.test', ratePerSecond: 5, source: 'newsroom' });
    const error = await m.send({ to: 'a@example.test', subject: 's', text: 't' }).catch((e) => e);
    m.close();
    expect(error).toBeInstanceOf(MailError);
    expect(error.permanent).toBe(false);
  });

  it('logs in with the URL’s user and password and never repeats the password', async () => {
    const authed = await startSmtpSink({ auth: { user: 'gazette', pass: 's3cret-pass' } });
    try {
      const ok = new Mailer({ smtpUrl: authed.url, from: 'news@example.test', ratePerSecond: 5, source: 'newsroom' });
      await ok.send({ to: 'a@example.test', subject: 'auth', text: 't' });
      ok.close();
      expect((await authed.waitFor(1))[0].subject).toBe('auth');
      const badUrl = authed.url.replace('s3cret-pass', 'wrong-pass');
      const bad = new Mailer({ smtpUrl: badUrl, from: 'news@example.test', ratePerSecond: 5, source: 'newsroom' });
      const error = await bad.send({ to: 'a@example.test', subject: 's', text: 't' }).catch((e) => e);
      bad.close();
      expect(error).toBeInstanceOf(MailError);
      expect(error.permanent).toBe(true);
      expect(error.recipientRefused).toBe(false);
      expect(String(error.message)).not.toContain('wrong-pass');
    } finally {
      await authed.close();
    }
  });

  it('parses, redacts and keeps SMTP URLs', () => {
    expect(parseSmtpUrl('smtps://u:p@mail.example.org')).toMatchObject({
      secure: true,
      host: 'mail.example.org',
      port: 465,
      user: 'u',
      hasPassword: true,
    });
    expect(parseSmtpUrl('smtp://mail.example.org:2525').port).toBe(2525);
    expect(() => parseSmtpUrl('http://mail.example.org')).toThrow(/smtp/);
    expect(() => parseSmtpUrl('not a url')).toThrow();
    expect(redactSmtpUrl('smtp://u:topsecret@mail.example.org:587')).toBe('smtp://u:****@mail.example.org:587');
    expect(keepPassword('smtp://u:****@mail.example.org:587', 'smtp://u:topsecret@mail.example.org:587')).toBe(
      'smtp://u:topsecret@mail.example.org:587',
    );
    expect(keepPassword('smtp://u:****@other.example.org:587', 'smtp://u:topsecret@mail.example.org:587')).toContain('****');
  });
});
