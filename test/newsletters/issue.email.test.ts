import { describe, expect, it } from 'vitest';
import { type IssueEmailInput, personalise, renderIssueEmail, wrapText } from '../../src/newsletters/email.issue.js';

const input: IssueEmailInput = {
  siteName: 'The <Harbor> Gazette',
  origin: 'https://news.example.test',
  lang: 'fr-FR',
  listName: 'Morning "briefing"',
  subject: 'Tides & times',
  intro: 'First paragraph <script>alert(1)</script>.\n\nSecond paragraph.',
  dateLine: '7 December 2026',
  articles: [
    {
      headline: 'Bridge reopens <img src=x onerror=alert(1)>',
      standfirst: 'Traffic returns.',
      url: 'https://news.example.test/local/bridge',
      section: 'Local',
      byline: 'By Ada Vesta',
      image: { src: 'https://news.example.test/media/a/1072.jpg', width: 1072, height: 603, alt: 'The bridge at dawn' },
    },
    {
      headline: 'No picture here',
      standfirst: '',
      url: 'https://news.example.test/local/plain',
      section: 'Local',
      byline: '',
      image: null,
    },
  ],
};

describe('the issue email', () => {
  const email = renderIssueEmail(input);

  it('is a table layout with inline CSS, a dark scheme, the language and sized images with alt text', () => {
    expect(email.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(email.html).toContain('<html lang="fr-FR">');
    expect(email.html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(email.html).toContain('@media (prefers-color-scheme: dark)');
    expect(email.html).toContain('role="presentation"');
    expect(email.html).toMatch(
      /<img[^>]*src="https:\/\/news\.example\.test\/media\/a\/1072\.jpg"[^>]*alt="The bridge at dawn"[^>]*width="536"[^>]*height="302"/,
    );
    expect(email.html).toMatch(/<td [^>]*style="[^"]*padding/);
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toMatch(/<img[^>]*onerror/);
    expect(email.html).toContain('Bridge reopens &lt;img src=x onerror=alert(1)>');
    expect(email.html).toContain('The &lt;Harbor> Gazette');
  });

  it('has a plain-text part with every article, link and the footer links', () => {
    expect(email.text).toContain('Bridge reopens <img src=x onerror=alert(1)>');
    expect(email.text).toContain('https://news.example.test/local/plain');
    expect(email.text).toContain('Second paragraph.');
    expect(email.text).toContain('Unsubscribe: %%GAZETTE_UNSUBSCRIBE%%');
  });

  it('puts each recipient’s links where the placeholders stand, escaped in the HTML', () => {
    const copy = personalise(email, {
      unsubscribe: 'https://news.example.test/newsletters/unsubscribe?token=1.abc&list=2',
      preferences: 'https://news.example.test/newsletters/preferences?token=1.abc',
    });
    expect(copy.html).toContain('href="https://news.example.test/newsletters/unsubscribe?token=1.abc&amp;list=2"');
    expect(copy.html).toContain('href="https://news.example.test/newsletters/preferences?token=1.abc"');
    expect(copy.text).toContain('Unsubscribe: https://news.example.test/newsletters/unsubscribe?token=1.abc&list=2');
    expect(copy.html).not.toContain('%%GAZETTE');
    expect(copy.html).not.toMatch(/<img[^>]*(width="1"|height="1")/);
  });

  it('wraps plain text at 72 characters without breaking long words', () => {
    const long = 'word '.repeat(40).trim();
    expect(
      wrapText(long)
        .split('\n')
        .every((line) => line.length <= 72),
    ).toBe(true);
    expect(wrapText(`see ${'x'.repeat(100)}`)).toBe(`see\n${'x'.repeat(100)}`);
  });
});
