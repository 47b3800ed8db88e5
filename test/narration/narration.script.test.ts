import { describe, expect, it } from 'vitest';
import { bodyBlocks, buildScript } from '../../src/narration/narration.script.js';
import { renderMarkdown } from '../../src/text/markdown.js';

describe('what the narration reads', () => {
  const html = renderMarkdown(
    [
      'First paragraph. It has two sentences.',
      '## A heading',
      '- a tight item',
      '- another item',
      '```\nconst code = "never read";\n```',
      '<figure><img src="/x.jpg" alt="A photo"><figcaption>A caption, not read.</figcaption></figure>',
      '![An image alone](/y.jpg)',
      '> A quotation in a blockquote.',
      '| table | cells |\n| --- | --- |\n| not | read |',
    ].join('\n\n'),
  );

  it('numbers the body blocks as the page does, skipping code, figures and tables', () => {
    expect(bodyBlocks(html)).toEqual([
      'First paragraph. It has two sentences.',
      'A heading',
      'a tight item',
      'another item',
      '',
      'A quotation in a blockquote.',
    ]);
  });

  it('reads headline, standfirst and byline first, and ends headings and items with a pause', () => {
    const script = buildScript({
      headline: 'Council Approves $412 Million Budget',
      standfirst: 'A vote of 7-2.',
      authors: ['Ana Ruiz', 'James Thompson'],
      bodyHtml: html,
      corrections: ['An earlier version misstated the date.'],
      locale: 'en-US',
    });
    expect(script.map((p) => p.target)).toEqual(['headline', 'standfirst', 'byline', 0, 1, 2, 3, 5, 'correction']);
    expect(script[0].sentences[0].spoken).toBe('Council Approves four hundred twelve million dollar Budget.');
    expect(script[2].sentences[0].spoken).toBe('By Ana Ruiz and James Thompson.');
    expect(script[3].sentences.map((s) => s.text)).toEqual(['First paragraph.', 'It has two sentences.']);
    expect(script[4].sentences[0].spoken).toBe('A heading.');
    expect(script.at(-1)!.sentences[0].spoken).toBe('Correction: An earlier version misstated the date.');
    expect(JSON.stringify(script)).not.toContain('never read');
    expect(JSON.stringify(script)).not.toContain('caption');
  });
});
