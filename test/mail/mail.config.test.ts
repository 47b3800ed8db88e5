import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkFrom, normaliseEmail } from '../../src/mail/mail.address.js';
import { classifyMailError } from '../../src/mail/mail.transport.js';

const env = (extra: Record<string, string>) => ({
  GAZETTE_DATA: mkdtempSync(join(tmpdir(), 'gazette-mail-')),
  GAZETTE_SECRET: 'x'.repeat(32),
  ...extra,
});

describe('mail configuration', () => {
  it('reads GAZETTE_SMTP_URL and GAZETTE_MAIL_FROM; unset means not configured', () => {
    const c = loadConfig(
      env({ GAZETTE_SMTP_URL: 'smtps://u:p@smtp.example.org:465', GAZETTE_MAIL_FROM: 'News <news@example.org>' }),
      false,
    );
    expect(c.smtpUrl).toBe('smtps://u:p@smtp.example.org:465');
    expect(c.mailFrom).toBe('News <news@example.org>');
    const none = loadConfig(env({}), false);
    expect(none.smtpUrl).toBeUndefined();
    expect(none.mailFrom).toBeUndefined();
  });

  it('refuses an SMTP URL that is not smtp:// or smtps:// with a message naming the variable', () => {
    expect(() => loadConfig(env({ GAZETTE_SMTP_URL: 'http://smtp.example.org' }), false)).toThrow(/GAZETTE_SMTP_URL/);
    expect(() => loadConfig(env({ GAZETTE_SMTP_URL: 'smtp.example.org:25' }), false)).toThrow(/GAZETTE_SMTP_URL/);
  });

  it('normalises reader addresses and checks senders', () => {
    expect(normaliseEmail('  Ana@Example.ORG ')).toBe('ana@example.org');
    for (const bad of [
      '',
      'ana',
      'ana@',
      '@example.org',
      'ana@example',
      'a b@example.org',
      'ana@exa mple.org',
      'a..b@example.org',
      `${'a'.repeat(65)}@example.org`,
    ]) {
      expect(() => normaliseEmail(bad), bad).toThrow();
    }
    expect(checkFrom('The Gazette <news@example.org>')).toBe('The Gazette <news@example.org>');
    expect(checkFrom('news@example.org')).toBe('news@example.org');
    expect(checkFrom('')).toBe('');
    expect(() => checkFrom('News <news@example.org>\r\nBcc: x@example.org')).toThrow();
  });

  it('classifies failures: 5xx permanent, 4xx and network errors temporary, passwords removed', () => {
    const refused = classifyMailError(Object.assign(new Error('550 no such user'), { code: 'EENVELOPE', responseCode: 550 }));
    expect([refused.permanent, refused.recipientRefused]).toEqual([true, true]);
    const later = classifyMailError(Object.assign(new Error('451 try later'), { code: 'EENVELOPE', responseCode: 451 }));
    expect([later.permanent, later.recipientRefused]).toEqual([false, false]);
    const down = classifyMailError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }));
    expect(down.permanent).toBe(false);
    const leaky = classifyMailError(new Error('auth failed for hunter2-pass'), 'smtp://u:hunter2-pass@mail.example.org');
    expect(leaky.message).not.toContain('hunter2-pass');
  });
});
