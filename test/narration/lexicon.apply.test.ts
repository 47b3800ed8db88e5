import { describe, expect, it } from 'vitest';
import {
  applicable,
  applyLexicon,
  formatLexicon,
  mergeLexicons,
  type Pronunciation,
  parseLexicon,
} from '../../src/narration/lexicon.apply.js';
import { buildScript } from '../../src/narration/narration.script.js';

const entry = (term: string, respelling: string, o: Partial<Pronunciation> = {}): Pronunciation => ({
  term,
  respelling,
  caseSensitive: false,
  wholeWord: true,
  ...o,
});

describe('applying the pronunciation lexicon', () => {
  it('replaces whole words in any case by default', () => {
    const lexicon = [entry('Kyiv', 'keev')];
    expect(applyLexicon('Officials in Kyiv and KYIV said.', lexicon)).toBe('Officials in keev and keev said.');
    expect(applyLexicon('A Kyivan bakery.', lexicon)).toBe('A Kyivan bakery.');
  });

  it('matches inside words when asked, and capitals exactly when asked', () => {
    expect(applyLexicon('A Kyivan bakery.', [entry('Kyiv', 'keev', { wholeWord: false })])).toBe('A keevan bakery.');
    const us = [entry('US', 'you ess', { caseSensitive: true })];
    expect(applyLexicon('The US told us.', us)).toBe('The you ess told us.');
  });

  it('prefers the longest phrase and does not rewrite a respelling again', () => {
    const lexicon = [entry('Okonkwo', 'oh konk woh'), entry('Okonkwo-Hale', 'oh konk woh hail'), entry('woh', 'never')];
    expect(applyLexicon('Dr. Okonkwo-Hale spoke.', lexicon)).toBe('Dr. oh konk woh hail spoke.');
    expect(applicable('Nothing here.', lexicon)).toEqual([]);
  });

  it('matches phrases across any spacing and letters with accents', () => {
    expect(applyLexicon('The Rio  Negro fell.', [entry('Rio Negro', 'ree oh nay gro')])).toBe('The ree oh nay gro fell.');
    expect(applyLexicon('In Zürich today.', [entry('Zürich', 'zoo rick')])).toBe('In zoo rick today.');
  });

  it("lets an article's entries replace the site's for the same term", () => {
    const merged = mergeLexicons([entry('Nguyen', 'win'), entry('Lagarde', 'la gard')], [entry('nguyen', 'noo yen')]);
    expect(applyLexicon('Nguyen and Lagarde met.', merged)).toBe('noo yen and la gard met.');
  });
});

describe('lexicon files', () => {
  it('round-trips export and import', () => {
    const entries = [
      entry('Kyiv', 'keev'),
      entry('US', 'you ess', { caseSensitive: true }),
      entry('Zelenskyy', 'zeh len skee', { wholeWord: false }),
    ];
    const parsed = parseLexicon(formatLexicon(entries));
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toEqual(entries);
  });

  it('reads CSV, skips comments and blank lines, and names the lines it cannot read', () => {
    const parsed = parseLexicon('term,respelling\nKyiv,keev\n\n# a comment\nDmitriev,dmee tree yev,case\njust words\nEmpty =\n');
    expect(parsed.entries).toEqual([entry('Kyiv', 'keev'), entry('Dmitriev', 'dmee tree yev', { caseSensitive: true })]);
    expect(parsed.errors.map((e) => e.line)).toEqual([6, 7]);
  });
});

describe('the script with a lexicon', () => {
  const input = {
    headline: 'Talks in Kyiv',
    standfirst: 'A short standfirst.',
    authors: [],
    bodyHtml: '<p>The mayor of Kyiv spoke.</p><p>Nothing else changed.</p>',
    locale: 'en-US',
  };

  it('changes the spoken text of the paragraphs that contain the term, and only those; offsets stay those of the page', () => {
    const plain = buildScript(input);
    const taught = buildScript({ ...input, lexicon: [entry('Kyiv', 'keev')] });
    expect(taught[0].sentences[0].spoken).toBe('Talks in keev.');
    expect(taught[2].sentences[0].spoken).toBe('The mayor of keev spoke.');
    expect(taught[1]).toEqual(plain[1]);
    expect(taught[3]).toEqual(plain[3]);
    expect(taught[2].sentences[0]).toMatchObject({ start: plain[2].sentences[0].start, end: plain[2].sentences[0].end });
  });
});
